import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Env } from '#core/config/env-schema.js';
import type { Fleet } from '#core/fleet/fleet.js';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import type { MetricsSink } from '#core/metrics/metrics-sink.js';
import type { WorkerView } from '#core/scaling/scaling-types.js';
import { parseWorkerIpcMessage } from '#worker/ipc-messages.js';
import { WORKER_NODE_FLAGS } from './worker-process.js';

/** The worker entry point (the same file the AMI's systemd unit runs). */
export const WORKER_ENTRY = fileURLToPath(new URL('../worker/main.js', import.meta.url));

export interface LocalFleetOptions {
  /** Environment of every worker process. */
  readonly env: Env;
  /** Receives the workers' metrics (sent over IPC). */
  readonly metrics: MetricsSink;
  /** Seconds to wait after SIGTERM before SIGKILL: longer than the workers' own stop grace. */
  readonly killAfterSeconds: number;
  readonly log: Logger;
  /** Makes jobs visible again at once (a worker that died held them). */
  readonly releaseJobs?: (receipts: readonly string[]) => Promise<void>;
  /** Called when a worker dies (not an idle exit, not a stop): the scaler should replace it now. */
  readonly onWorkerDied?: () => void;
  readonly entry?: string;
}

interface LocalWorker {
  readonly id: string;
  readonly child: ChildProcess;
  readonly launchedAt: number;
  ready: boolean;
  /** Receipt handles of the jobs it holds, as it reported them. */
  readonly heldJobs: Set<string>;
}

/**
 * Workers as child processes of this machine (the embedded default's fleet). A worker is pending
 * until it reports ready over IPC, and leaves the fleet when it exits (its idle exit is the
 * scale-in). Workers run in their own process group, so a Ctrl-C reaches only the stack, which
 * stops them in order; if the stack dies, the IPC channel closes and they stop by themselves.
 */
export class LocalFleet implements Fleet {
  private readonly workers = new Map<string, LocalWorker>();
  private readonly launchedTokens = new Map<string, string[]>();
  private sequence = 0;
  /** Distinguishes this run's workers from earlier runs' (their heartbeats persist in the emulator). */
  private readonly runId = randomUUID().slice(0, 6);
  private stopping = false;

  constructor(private readonly options: LocalFleetOptions) {}

  async list(): Promise<WorkerView[]> {
    return [...this.workers.values()].map((worker) => ({
      id: worker.id,
      state: worker.ready ? 'running' : 'pending',
      launchedAt: worker.launchedAt,
    }));
  }

  async launch(count: number, token: string): Promise<string[]> {
    if (this.stopping) return [];
    // The same token launches once; of its workers, those that died meanwhile are replaced.
    const alive = (this.launchedTokens.get(token) ?? []).filter((id) => this.workers.has(id));
    const ids = [...alive, ...Array.from({ length: Math.max(0, count - alive.length) }, () => this.spawnWorker())];
    this.launchedTokens.set(token, ids);
    if (this.launchedTokens.size > 1000) this.launchedTokens.delete(this.launchedTokens.keys().next().value!);
    return ids;
  }

  async terminate(ids: readonly string[]): Promise<void> {
    await Promise.all(
      ids
        .map((id) => this.workers.get(id))
        .filter((w) => w !== undefined)
        .map((w) => this.stopWorker(w)),
    );
  }

  /** Process ids of the live workers. */
  get pids(): number[] {
    return [...this.workers.values()].map((worker) => worker.child.pid).filter((pid) => pid !== undefined);
  }

  /** Stops every worker gracefully; launches are refused from now on. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.workers.values()].map((worker) => this.stopWorker(worker)));
  }

  private spawnWorker(): string {
    const id = `local-${this.runId}-${++this.sequence}`;
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, this.options.entry ?? WORKER_ENTRY], {
      env: { ...this.options.env, GLIMPSE_WORKER_ID: id, GLIMPSE_METRICS: 'ipc' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    const worker: LocalWorker = { id, child, launchedAt: Date.now(), ready: false, heldJobs: new Set() };
    this.workers.set(id, worker);
    const log = this.options.log.child({ workerId: id });
    child.on('message', (value: unknown) => this.onWorkerMessage(worker, value, log));
    child.once('exit', (code, signal) => {
      this.workers.delete(id);
      if (code === 0 || this.stopping) return;
      log.warn({ code, signal }, 'worker died');
      this.options.onWorkerDied?.();
    });
    // After the exit, once the IPC channel is drained: every `holding` it sent has been counted.
    child.once('close', () => this.releaseHeldJobs(worker, log));
    child.once('error', (error) => log.error({ error: describeError(error) }, 'worker could not start'));
    return id;
  }

  private onWorkerMessage(worker: LocalWorker, value: unknown, log: Logger): void {
    const message = parseWorkerIpcMessage(value);
    if (message?.type === 'ready') worker.ready = true;
    else if (message?.type === 'metrics') this.options.metrics.record(message.data);
    else if (message?.type === 'holding') message.receipts.forEach((receipt) => worker.heldJobs.add(receipt));
    else if (message?.type === 'released') message.receipts.forEach((receipt) => worker.heldJobs.delete(receipt));
    else log.warn('unexpected IPC message from a worker ignored');
  }

  /**
   * A worker that exits holding jobs (killed, crashed) would leave them hidden until their lease
   * ends: they are made visible to the other workers at once. A job it had finished but not yet
   * deleted is only answered again from its stored result.
   */
  private releaseHeldJobs(worker: LocalWorker, log: Logger): void {
    const receipts = [...worker.heldJobs];
    if (receipts.length === 0 || !this.options.releaseJobs) return;
    log.warn({ jobs: receipts.length }, 'releasing the jobs of a worker that exited holding them');
    this.options
      .releaseJobs(receipts)
      .catch((error: unknown) =>
        log.warn({ error: describeError(error) }, 'could not release the jobs; they return when their lease ends'),
      );
  }

  private stopWorker(worker: LocalWorker): Promise<void> {
    const { child } = worker;
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), this.options.killAfterSeconds * 1000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
