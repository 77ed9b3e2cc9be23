import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { childPids, PROC_ROOT } from '../shared/process-cpu.js';
import { StackProcess, type StackPorts, type StackSettings } from '../shared/stack-process.js';

/** One restart of the stack: when it began (ms since the burst began) and how long the web tier was gone. */
export interface Restart {
  readonly atMs: number;
  /** SIGTERM to the stack's web tier answering again. */
  readonly downMs: number;
  /** SIGTERM to the workers running again. */
  readonly workersBackMs: number;
}

/** The stack under test, as the burst and the killer see it. */
export interface ChaosTarget {
  readonly url: string;
  /** Its live worker processes; none where the tool cannot tell. */
  workerPids(): Promise<number[]>;
  /** Stops the stack (SIGTERM) and starts it again on the same data dir and ports. */
  restart(now: () => number): Promise<Restart>;
  /** Stops what the tool started; nothing for a stack it did not. */
  stop(): Promise<void>;
}

/** A stack already running at `url`; its workers are the children of `stackPid`, when given. */
export async function runningStack(url: string, stackPid?: number): Promise<ChaosTarget> {
  if (stackPid !== undefined) await checkIsStack(stackPid);
  return {
    url,
    workerPids: () => (stackPid === undefined ? Promise.resolve([]) : childPids(stackPid, PROC_ROOT).catch(() => [])),
    restart: () => Promise.reject(new UsageError('a stack the tool did not start is not restarted')),
    stop: () => Promise.resolve(),
  };
}

/** Only the children of a local stack (`node …/local/main.js`) are killed, never those of another process. */
async function checkIsStack(pid: number): Promise<void> {
  const commandLine = await readFile(path.join(PROC_ROOT, String(pid), 'cmdline'), 'utf8').catch(() => undefined);
  if (commandLine === undefined) throw new UsageError(`--worker-pids-from ${pid}: no such process here`);
  if (!commandLine.split('\0').some((arg) => arg.endsWith(path.join('local', 'main.js'))))
    throw new UsageError(`--worker-pids-from ${pid} is not a local stack (node dist/local/main.js)`);
}

/** Data dirs of the self-started stacks not yet removed, so that an interrupted run leaves none behind. */
const dataDirs = new Set<string>();

/** Removes the data dir of every self-started stack still there (synchronous, for the tool's exit). */
export function removeDataDirs(): void {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/**
 * A stack this tool starts as a child process, on a data dir and two ports of its own, chosen once
 * so that a restart keeps them (the queues, the results and the clients' URLs survive it); with
 * `workers` warm workers, which the scaler replaces as they are killed.
 */
export class SelfStartedStack implements ChaosTarget {
  private constructor(
    private stack: StackProcess,
    private readonly settings: StackSettings & { readonly dataDir: string },
    private readonly workers: number,
  ) {}

  static async start(settings: StackSettings, workers: number): Promise<SelfStartedStack> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-chaos-'));
    dataDirs.add(dataDir);
    const fixed = { ...settings, dataDir, ports: await freePorts(), minWorkers: workers, maxWorkers: workers };
    let stack: StackProcess | undefined;
    try {
      stack = await StackProcess.start(fixed);
      await stack.waitForWorkers(workers);
      return new SelfStartedStack(stack, fixed, workers);
    } catch (error) {
      await stack?.stop();
      await removeDataDir(dataDir);
      throw error;
    }
  }

  get url(): string {
    return this.stack.url;
  }

  workerPids(): Promise<number[]> {
    return this.stack.workerPids();
  }

  async restart(now: () => number): Promise<Restart> {
    const atMs = now();
    this.settings.log.warn({ url: this.url }, 'restarting the stack (SIGTERM, then a start on the same data dir)');
    await this.stack.stop();
    this.stack = await StackProcess.start(this.settings);
    const downMs = now() - atMs;
    await this.stack.waitForWorkers(this.workers);
    return { atMs, downMs, workersBackMs: now() - atMs };
  }

  async stop(): Promise<void> {
    try {
      await this.stack.stop();
    } finally {
      await removeDataDir(this.settings.dataDir);
    }
  }
}

async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  dataDirs.delete(dir);
}

/** Two free loopback ports, held open together so that they differ, then released for the stack. */
async function freePorts(): Promise<StackPorts> {
  const servers = [createServer(), createServer()];
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return { web: ports[0]!, emulator: ports[1]! };
}
