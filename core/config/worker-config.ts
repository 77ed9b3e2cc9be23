import os from 'node:os';
import { z } from 'zod';
import { DEFAULT_METRICS_NAMESPACE } from '../metrics/metric-names.js';
import { loadFleetName } from './fleet-name.js';
import { loadAwsConfig, type AwsConfig } from './aws-config.js';
import { boolVar, intVar, optionalIntVar, optionalStringVar, parseEnv, stringVar, type Env } from './env-schema.js';
import { loadModelConfig, type ModelConfig } from './model-config.js';
import { loadQueuePolicy, loadResourceNames, type QueuePolicy, type ResourceNames } from './resource-names.js';

/** Where onnxruntime runs: `auto` tries CUDA and falls back to the CPU. */
export type ExecutionProviderChoice = 'auto' | 'cuda' | 'cpu';

/** Everything a worker process needs, validated once at start. */
export interface WorkerConfig {
  readonly aws: AwsConfig;
  readonly names: ResourceNames;
  readonly queue: QueuePolicy;
  readonly model: ModelConfig;
  /** Name in logs and result records. Env `GLIMPSE_WORKER_ID`; default `<hostname>-<pid>`. */
  readonly workerId: string;
  /** Jobs per receive (1–10). Env `GLIMPSE_RECEIVE_BATCH`; default 10. */
  readonly receiveBatchSize: number;
  /** Receive loops per process, sharing one model session. Env `GLIMPSE_RECEIVE_LOOPS`; default 2. */
  readonly receiveLoops: number;
  /**
   * Seconds a received job stays hidden from other workers; renewed every third of it while the job
   * is worked on, so that a crashed worker's jobs return within about this long.
   * Env `GLIMPSE_JOB_LEASE_SECONDS`; default 15.
   */
  readonly jobLeaseSeconds: number;
  /** Long-poll wait in seconds (1–20). Env `GLIMPSE_POLL_WAIT_SECONDS`; default 20. */
  readonly pollWaitSeconds: number;
  /** Seconds without work after which the worker exits; 0 never exits. Env `GLIMPSE_IDLE_SECONDS`; default 60. */
  readonly idleSeconds: number;
  /** Most images in one onnxruntime call (capped by the model). Env `GLIMPSE_MAX_BATCH`; default 16. */
  readonly maxBatch: number;
  /**
   * Batching window in ms (0–1000): a classify call waits this long for those of the other receive
   * loops, up to the max batch, so a GPU sees full batches; 0 is off. Env `GLIMPSE_BATCH_WINDOW_MS`;
   * default by the session's execution provider ({@link batchWindowMsFor}): 5 on CUDA, 0 on the CPU,
   * where inference is serial per core and waiting does not pay.
   */
  readonly batchWindowMs: number | undefined;
  /** onnxruntime intra-op threads. Env `GLIMPSE_INTRA_OP_THREADS`; default 1. */
  readonly intraOpThreads: number;
  /** Execution provider. Env `GLIMPSE_EXECUTION_PROVIDER` (`auto` | `cuda` | `cpu`); default `auto`. */
  readonly executionProvider: ExecutionProviderChoice;
  /** Largest decoded image in pixels. Env `GLIMPSE_MAX_INPUT_PIXELS`; default 40,000,000. */
  readonly maxInputPixels: number;
  /**
   * On EC2: seconds between checks for a Spot interruption notice (IMDSv2), on which the worker drains.
   * Env `GLIMPSE_SPOT_CHECK_SECONDS`; default 5.
   */
  readonly spotCheckSeconds: number;
  /** Seconds a graceful stop waits for in-flight work. Env `GLIMPSE_STOP_GRACE_SECONDS`; default 30. */
  readonly stopGraceSeconds: number;
  /**
   * On EC2: terminate this instance after the idle exit (IMDSv2 instance id, then TerminateInstances).
   * Env `GLIMPSE_SELF_TERMINATE`; default false (the AMI's unit sets true).
   */
  readonly selfTerminate: boolean;
  /**
   * Where worker metrics go: `cloudwatch`, `ipc` (to the local stack that spawned the worker) or `none`.
   * Env `GLIMPSE_METRICS`; default `none`.
   */
  readonly metricsSink: 'cloudwatch' | 'ipc' | 'none';
  /** Seconds between heartbeats (in the output bucket). Env `GLIMPSE_HEARTBEAT_SECONDS`; default 5. */
  readonly heartbeatSeconds: number;
  /** Fleet name in metric dimensions. Env `GLIMPSE_FLEET_NAME`; default `glimpse`. */
  readonly fleetName: string;
  /** CloudWatch namespace. Env `GLIMPSE_METRICS_NAMESPACE`; default `Glimpse`. */
  readonly metricsNamespace: string;
}

export const workerEnvSchema = z.object({
  GLIMPSE_WORKER_ID: optionalStringVar(),
  GLIMPSE_RECEIVE_BATCH: intVar(10, 1, 10),
  GLIMPSE_RECEIVE_LOOPS: intVar(2, 1, 32),
  GLIMPSE_POLL_WAIT_SECONDS: intVar(20, 1, 20),
  GLIMPSE_JOB_LEASE_SECONDS: intVar(15, 6, 43_200),
  GLIMPSE_IDLE_SECONDS: intVar(60, 0),
  GLIMPSE_MAX_BATCH: intVar(16, 1, 256),
  GLIMPSE_BATCH_WINDOW_MS: optionalIntVar(0, 1000),
  GLIMPSE_INTRA_OP_THREADS: intVar(1, 1, 256),
  GLIMPSE_EXECUTION_PROVIDER: stringVar('auto').pipe(z.enum(['auto', 'cuda', 'cpu'])),
  GLIMPSE_MAX_INPUT_PIXELS: intVar(40_000_000, 1),
  GLIMPSE_STOP_GRACE_SECONDS: intVar(30, 1, 3600),
  GLIMPSE_SPOT_CHECK_SECONDS: intVar(5, 1, 60),
  GLIMPSE_SELF_TERMINATE: boolVar(false),
  GLIMPSE_METRICS: stringVar('none').pipe(z.enum(['cloudwatch', 'ipc', 'none'])),
  GLIMPSE_HEARTBEAT_SECONDS: intVar(5, 1, 3600),
  GLIMPSE_METRICS_NAMESPACE: stringVar(DEFAULT_METRICS_NAMESPACE),
});

/** The batching window when `GLIMPSE_BATCH_WINDOW_MS` is unset, by the provider the session runs on. */
export const DEFAULT_BATCH_WINDOW_MS: Readonly<Record<'cuda' | 'cpu', number>> = { cuda: 5, cpu: 0 };

/** The configured batching window, else the default for the session's execution provider. */
export function batchWindowMsFor(config: WorkerConfig, executionProvider: 'cuda' | 'cpu'): number {
  return config.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS[executionProvider];
}

export function loadWorkerConfig(env: Env, pid = process.pid): WorkerConfig {
  const parsed = parseEnv('worker', workerEnvSchema, env);
  return {
    aws: loadAwsConfig(env),
    names: loadResourceNames(env),
    queue: loadQueuePolicy(env),
    model: loadModelConfig(env),
    workerId: parsed.GLIMPSE_WORKER_ID ?? `${os.hostname()}-${pid}`,
    receiveBatchSize: parsed.GLIMPSE_RECEIVE_BATCH,
    receiveLoops: parsed.GLIMPSE_RECEIVE_LOOPS,
    pollWaitSeconds: parsed.GLIMPSE_POLL_WAIT_SECONDS,
    jobLeaseSeconds: parsed.GLIMPSE_JOB_LEASE_SECONDS,
    idleSeconds: parsed.GLIMPSE_IDLE_SECONDS,
    maxBatch: parsed.GLIMPSE_MAX_BATCH,
    batchWindowMs: parsed.GLIMPSE_BATCH_WINDOW_MS,
    intraOpThreads: parsed.GLIMPSE_INTRA_OP_THREADS,
    executionProvider: parsed.GLIMPSE_EXECUTION_PROVIDER,
    maxInputPixels: parsed.GLIMPSE_MAX_INPUT_PIXELS,
    stopGraceSeconds: parsed.GLIMPSE_STOP_GRACE_SECONDS,
    spotCheckSeconds: parsed.GLIMPSE_SPOT_CHECK_SECONDS,
    selfTerminate: parsed.GLIMPSE_SELF_TERMINATE,
    metricsSink: parsed.GLIMPSE_METRICS,
    metricsNamespace: parsed.GLIMPSE_METRICS_NAMESPACE,
    heartbeatSeconds: parsed.GLIMPSE_HEARTBEAT_SECONDS,
    fleetName: loadFleetName(env),
  };
}
