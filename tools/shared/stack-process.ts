import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Env } from '#core/config/env-schema.js';
import type { Logger } from '#core/logging/logger.js';
import { SCALER_METRICS } from '#core/metrics/metric-names.js';
import type { BuiltInModelName } from '#core/models/registry.js';
import { StackError } from '../errors.js';
import { childPids, clockTicksPerSecond, PROC_ROOT, readProcessTreeCpu, type ProcessTreeCpu } from './process-cpu.js';

/** The built local stack (`npm start` runs the same file). */
export const STACK_ENTRY = fileURLToPath(new URL('../../local/main.js', import.meta.url));

/** The ports of a stack: its web tier and its emulator (0: any free port). */
export interface StackPorts {
  readonly web: number;
  readonly emulator: number;
}

/** How a tool (bench, chaos) starts a stack: the caller's environment plus the tool's own settings. */
export interface StackSettings {
  readonly env: Env;
  readonly model: BuiltInModelName;
  /** The verified model files the tool already holds, so that no stack fetches them again. */
  readonly modelCacheDir: string;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  /** The stack's entry point: this build's `dist/local/main.js` unless another build's is named. */
  readonly entry?: string;
  /** Every process of the stack writes a `.cpuprofile` here when it exits. */
  readonly profileDir?: string;
  /** A data dir to start on and keep (a restarted stack finds its queues and results there); a fresh one, removed at stop, otherwise. */
  readonly dataDir?: string;
  /** Fixed ports (a restarted stack keeps its clients' URLs); any free ones otherwise. */
  readonly ports?: StackPorts;
  readonly log: Logger;
}

const READY_BANNER = /Glimpse ready at (http:\/\/\S+?)\/?\n/;
const START_TIMEOUT_MS = 120_000;
/** Longer than the workers' stop grace (30 s) plus the fleet's kill margin (5 s). */
const STOP_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

/** Stacks started and not yet stopped, so that an interrupted run leaves none behind. */
const running = new Set<StackProcess>();
/** Set once the tool is interrupted: no new stack starts after that. */
let closed = false;

/** The environment of a stack: the caller's (tuning variables included), on the given ports (else free ones), in `dataDir`. */
export function stackEnv(settings: StackSettings, dataDir: string): Env {
  const profile = settings.profileDir && `--cpu-prof --cpu-prof-dir=${JSON.stringify(settings.profileDir)}`;
  return {
    ...settings.env,
    GLIMPSE_DATA_DIR: dataDir,
    GLIMPSE_MODEL_CACHE: settings.modelCacheDir,
    PORT: String(settings.ports?.web ?? 0),
    GLIMPSE_EMULATOR_PORT: String(settings.ports?.emulator ?? 0),
    GLIMPSE_MIN_WORKERS: String(settings.minWorkers),
    GLIMPSE_MAX_WORKERS: String(settings.maxWorkers),
    GLIMPSE_MODEL: settings.model,
    GLIMPSE_LOG_LEVEL: 'warn',
    ...(profile ? { NODE_OPTIONS: [settings.env.NODE_OPTIONS, profile].filter(Boolean).join(' ') } : {}),
  };
}

/**
 * `node dist/local/main.js` as a child process in its own process group (a Ctrl-C at the terminal
 * reaches only the tool, which stops it in order). Its log (warnings and errors) goes to the
 * tool's stderr.
 */
export class StackProcess {
  private baseUrl = '';
  /** The worker processes last seen, for a forced stop (the set of a moment, so that no pid reused since is killed). */
  private workers: readonly number[] = [];
  private stopping?: Promise<void>;
  private static ticksPerSecond?: number;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
    /** Whether the data dir is this stack's own, removed when it stops. */
    private readonly ownsDataDir: boolean,
    private readonly log: Logger,
  ) {}

  static async start(settings: StackSettings): Promise<StackProcess> {
    if (closed) throw new StackError('stopping: no new stack starts');
    const dataDir = settings.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'glimpse-stack-')));
    const child = spawn(process.execPath, [settings.entry ?? STACK_ENTRY], {
      env: stackEnv(settings, dataDir),
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const stack = new StackProcess(child, dataDir, settings.dataDir === undefined, settings.log);
    running.add(stack);
    try {
      stack.baseUrl = await readyUrl(child, START_TIMEOUT_MS);
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  /** Base URL of the web tier. */
  get url(): string {
    return this.baseUrl;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Waits until the scaler reports `count` workers running (GET /v1/metrics). */
  async waitForWorkers(count: number, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.runningWorkers()) < count) {
      if (this.child.exitCode !== null) throw new StackError('the stack exited while its workers started');
      if (Date.now() > deadline) throw new StackError(`${count} workers were not running after ${timeoutMs / 1000} s`);
      await delay(POLL_MS);
    }
  }

  /** Process ids of the stack's workers (its child processes) now; none where /proc cannot tell. */
  async workerPids(): Promise<number[]> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return [];
    this.workers = await childPids(this.pid, PROC_ROOT).catch(() => this.workers);
    return [...this.workers];
  }

  /** CPU time of the stack process and of each worker; undefined where /proc cannot tell. */
  async cpu(): Promise<ProcessTreeCpu | undefined> {
    StackProcess.ticksPerSecond ??= clockTicksPerSecond();
    const reading = await readProcessTreeCpu(this.pid, PROC_ROOT, StackProcess.ticksPerSecond);
    if (reading) this.workers = [...reading.workerMs.keys()];
    return reading;
  }

  /**
   * SIGTERM, so that the stack stops its workers gracefully (and every process writes its profile);
   * past the timeout, SIGKILL to its process group and its workers. Then removes its data dir if
   * it made it.
   */
  stop(): Promise<void> {
    // Once: a second SIGTERM would make the stack exit at once, leaving its workers to stop alone.
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    running.delete(this);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.workerPids();
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      const timeout = delay(STOP_TIMEOUT_MS, 'timeout', { ref: false });
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        this.log.warn({ pid: this.pid }, 'the stack did not stop in time: killing it and its workers');
        this.kill();
        await exited;
      }
    }
    if (this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** SIGKILL to the stack's process group and to every worker seen (synchronous, for the tool's exit). */
  kill(): void {
    for (const pid of [-this.pid, ...this.workers]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /** Workers running at the scaler's last tick; none while the web tier does not answer. */
  private async runningWorkers(): Promise<number> {
    try {
      const response = await fetch(`${this.url}/v1/metrics?since=${Date.now() - 10_000}`);
      const { metrics } = (await response.json()) as { metrics: Record<string, Array<[number, number]>> };
      return metrics[SCALER_METRICS.workersRunning]?.at(-1)?.[1] ?? 0;
    } catch {
      return 0;
    }
  }
}

/** Stops every stack still running and refuses new ones (an interrupted run). */
export async function stopRunningStacks(): Promise<void> {
  closed = true;
  await Promise.all([...running].map((stack) => stack.stop()));
}

/** Kills every stack still running, at once (the tool is exiting). */
export function killRunningStacks(): void {
  for (const stack of running) stack.kill();
}

/** The URL of the ready banner the stack prints on stdout, or why it never came. */
function readyUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY_BANNER.exec(output);
      if (match) settle(() => resolve(match[1]!));
    };
    const onExit = (code: number | null, signal: string | null) =>
      settle(() =>
        reject(new StackError(`the stack exited (${code ?? signal}) before it was ready; its log is above`)),
      );
    const timer = setTimeout(
      () => settle(() => reject(new StackError(`the stack was not ready after ${timeoutMs / 1000} s`))),
      timeoutMs,
    );
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      outcome();
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}
