import os from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { loadFleetName } from './fleet-name.js';
import { loadAwsConfig, type AwsConfig } from './aws-config.js';
import { boolVar, intVar, optionalStringVar, parseEnv, stringVar, type Env } from './env-schema.js';
import { loadQueuePolicy, loadResourceNames, type QueuePolicy, type ResourceNames } from './resource-names.js';
import { DEFAULT_METRICS_NAMESPACE } from '../metrics/metric-names.js';

/** Limits and timing of the scaling policy. */
export interface ScalingPolicyConfig {
  /** Fewest workers kept. Env `GLIMPSE_MIN_WORKERS`; default 0. */
  readonly minWorkers: number;
  /** Most workers ever running or pending. Env `GLIMPSE_MAX_WORKERS`; default 19 on AWS, the CPU count locally. */
  readonly maxWorkers: number;
  /** The backlog should drain within this many seconds. Env `GLIMPSE_TARGET_DRAIN_SECONDS`; default 30. */
  readonly targetDrainSeconds: number;
  /** Expected seconds from launch to a polling worker. Env `GLIMPSE_WORKER_BOOT_SECONDS`; default 60 on AWS, 1 locally (a local worker polls within a second). */
  readonly bootSeconds: number;
  /** Seconds between scaler ticks. Env `GLIMPSE_SCALER_TICK_SECONDS`; default 5 on AWS, 1 locally. */
  readonly tickSeconds: number;
  /** Images per second one worker is assumed to do before any is measured. Env `GLIMPSE_WORKER_IMAGES_PER_SECOND`; default 20. */
  readonly workerImagesPerSecond: number;
  /** A running worker silent this long is stuck and terminated. Env `GLIMPSE_STUCK_WORKER_SECONDS`; default 120. */
  readonly stuckAfterSeconds: number;
}

/** How the EC2 fleet launches workers. */
export interface Ec2FleetConfig {
  /** Launch template of the worker AMI. Env `GLIMPSE_LAUNCH_TEMPLATE_ID`; required for the EC2 fleet. */
  readonly launchTemplateId: string;
  /** Subnets to launch into, comma-separated. Env `GLIMPSE_SUBNET_IDS`; default: the template's. */
  readonly subnetIds: readonly string[];
  /** Instance types to try, comma-separated, in order. Env `GLIMPSE_INSTANCE_TYPES`; default `g4dn.xlarge`. */
  readonly instanceTypes: readonly string[];
  /** Try Spot first, falling back to on-demand when Spot capacity is short. Env `GLIMPSE_USE_SPOT`; default true. */
  readonly useSpot: boolean;
}

/** The scaler (Lambda on AWS, a loop in the local stack). */
export interface ScalerConfig {
  readonly aws: AwsConfig;
  readonly names: ResourceNames;
  /** The queues' policy; the scaler uses its response-queue idle time to sweep abandoned ones. */
  readonly queue: QueuePolicy;
  readonly policy: ScalingPolicyConfig;
  /** Value of the fleet tag on our workers. Env `GLIMPSE_FLEET_NAME`; default `glimpse`. */
  readonly fleetName: string;
  /** CloudWatch namespace. Env `GLIMPSE_METRICS_NAMESPACE`; default `Glimpse`. */
  readonly metricsNamespace: string;
  /** Present when the scaler drives EC2. */
  readonly ec2?: Ec2FleetConfig;
}

export const scalerEnvSchema = z.object({
  GLIMPSE_MIN_WORKERS: intVar(0, 0, 1000),
  GLIMPSE_MAX_WORKERS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(1000).optional(),
  ),
  GLIMPSE_TARGET_DRAIN_SECONDS: intVar(30, 1, 86_400),
  GLIMPSE_WORKER_BOOT_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().min(0).max(3600).optional(),
  ),
  GLIMPSE_SCALER_TICK_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().min(0.1).max(60).optional(),
  ),
  GLIMPSE_WORKER_IMAGES_PER_SECOND: intVar(20, 1, 100_000),
  GLIMPSE_STUCK_WORKER_SECONDS: intVar(120, 5, 86_400),
  GLIMPSE_METRICS_NAMESPACE: stringVar(DEFAULT_METRICS_NAMESPACE),
  GLIMPSE_LAUNCH_TEMPLATE_ID: optionalStringVar(),
  GLIMPSE_SUBNET_IDS: optionalStringVar(),
  GLIMPSE_INSTANCE_TYPES: stringVar('g4dn.xlarge'),
  GLIMPSE_USE_SPOT: boolVar(true),
});

/** Defaults that differ between the cloud and the embedded stack. */
export type ScalerPlatform = 'aws' | 'local';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export function loadScalerConfig(env: Env, platform: ScalerPlatform): ScalerConfig {
  const parsed = parseEnv('scaler', scalerEnvSchema, env);
  const local = platform === 'local';
  const minWorkers = parsed.GLIMPSE_MIN_WORKERS;
  const maxWorkers = parsed.GLIMPSE_MAX_WORKERS ?? (local ? os.availableParallelism() : 19);
  if (minWorkers > maxWorkers) {
    throw new ConfigError('scaler', [
      `GLIMPSE_MIN_WORKERS (${minWorkers}) exceeds GLIMPSE_MAX_WORKERS (${maxWorkers})`,
    ]);
  }
  return {
    aws: loadAwsConfig(env),
    names: loadResourceNames(env),
    queue: loadQueuePolicy(env),
    policy: {
      minWorkers,
      maxWorkers,
      targetDrainSeconds: parsed.GLIMPSE_TARGET_DRAIN_SECONDS,
      bootSeconds: parsed.GLIMPSE_WORKER_BOOT_SECONDS ?? (local ? 1 : 60),
      tickSeconds: parsed.GLIMPSE_SCALER_TICK_SECONDS ?? (local ? 1 : 5),
      workerImagesPerSecond: parsed.GLIMPSE_WORKER_IMAGES_PER_SECOND,
      stuckAfterSeconds: parsed.GLIMPSE_STUCK_WORKER_SECONDS,
    },
    fleetName: loadFleetName(env),
    metricsNamespace: parsed.GLIMPSE_METRICS_NAMESPACE,
    ...(parsed.GLIMPSE_LAUNCH_TEMPLATE_ID
      ? {
          ec2: {
            launchTemplateId: parsed.GLIMPSE_LAUNCH_TEMPLATE_ID,
            subnetIds: list(parsed.GLIMPSE_SUBNET_IDS),
            instanceTypes: list(parsed.GLIMPSE_INSTANCE_TYPES),
            useSpot: parsed.GLIMPSE_USE_SPOT,
          },
        }
      : {}),
  };
}
