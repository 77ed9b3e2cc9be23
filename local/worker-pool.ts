import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Env } from '#core/config/env-schema.js';
import type { Log } from '#core/logging/logger.js';

/** The worker entry point (the same file the AMI's systemd unit runs). */
export const WORKER_ENTRY = fileURLToPath(new URL('../worker/main.js', import.meta.url));

export interface WorkerPoolOptions {
  readonly size: number;
  /** Environment of every worker process. */
  readonly env: Env;
  readonly log: Log;
  /** Seconds to wait after SIGTERM before SIGKILL: longer than the workers' own stop grace. */
  readonly killAfterSeconds: number;
}

/**
 * A fixed pool of local worker processes: keeps `size` of them running, restarting one that
 * dies (with a growing delay), and stops them with SIGTERM so in-flight jobs finish.
 */
export class LocalWorkerPool {
  private readonly children = new Map<number, ChildProcess>();
  private stopping = false;
  private restarts = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  start(): void {
    for (let slot = 0; slot < this.options.size; slot++) this.spawn(slot);
  }

  /** Process ids of the running workers. */
  get pids(): number[] {
    return [...this.children.values()].map((child) => child.pid).filter((pid) => pid !== undefined);
  }

  /** From now on a worker that exits is not restarted. */
  beginStop(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    this.beginStop();
    const grace = this.options.killAfterSeconds * 1000;
    await Promise.all(
      [...this.children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), grace);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  private spawn(slot: number): void {
    // Own process group: a Ctrl-C in the terminal reaches only the stack, which stops the workers
    // in order. The IPC channel closes if the stack dies, and the worker then stops by itself.
    const child = spawn(process.execPath, [WORKER_ENTRY], {
      env: { ...this.options.env, GLIMPSE_WORKER_ID: `local-${slot}` },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    this.children.set(slot, child);
    const startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      // A worker that ran a while before dying starts the back-off afresh.
      if (Date.now() - startedAt > 60_000) this.restarts = 0;
      this.restarts++;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.restarts, 6));
      this.options.log('worker exited; restarting', { slot, code, signal, delayMs: delay });
      setTimeout(() => !this.stopping && this.spawn(slot), delay).unref();
    });
  }
}
