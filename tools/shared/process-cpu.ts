import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Cumulative CPU time (user + system) of the stack process and of each of its child processes (the workers). */
export interface ProcessTreeCpu {
  readonly stackMs: number;
  /** By process id. */
  readonly workerMs: ReadonlyMap<number, number>;
}

/** CPU milliseconds per image of one measured phase, per process. */
export interface CpuPerImage {
  /** The stack process: web tier and emulator. */
  readonly stack: number;
  readonly workers: ReadonlyArray<{ readonly pid: number; readonly ms: number }>;
  readonly workersSum: number;
  /** Stack and workers together. */
  readonly total: number;
}

/** Where Linux keeps its process table. */
export const PROC_ROOT = '/proc';

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`); 100 where it cannot be asked. */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** utime + stime of a process in milliseconds, from `<procRoot>/<pid>/stat`. */
export async function readCpuMs(pid: number, procRoot: string, ticksPerSecond: number): Promise<number> {
  const stat = await readFile(path.join(procRoot, String(pid), 'stat'), 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime), counted from 1, sit at 11 and 12 once fields 1–2 are cut.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new RangeError(`no CPU times in ${procRoot}/${pid}/stat`);
  return (ticks * 1000) / ticksPerSecond;
}

/** The process ids of a process's children (those started by its main thread), from /proc. */
export async function childPids(pid: number, procRoot: string): Promise<number[]> {
  const children = await readFile(path.join(procRoot, String(pid), 'task', String(pid), 'children'), 'utf8');
  return children.trim().split(/\s+/).filter(Boolean).map(Number);
}

/**
 * The CPU time of the stack and of its children; undefined where /proc cannot tell (not Linux).
 * A child that exits between the listing and the reading is left out.
 */
export async function readProcessTreeCpu(
  stackPid: number,
  procRoot: string,
  ticksPerSecond: number,
): Promise<ProcessTreeCpu | undefined> {
  try {
    const stackMs = await readCpuMs(stackPid, procRoot, ticksPerSecond);
    const pids = await childPids(stackPid, procRoot);
    const readings = await Promise.all(
      pids.map(async (pid) => [pid, await readCpuMs(pid, procRoot, ticksPerSecond).catch(() => NaN)] as const),
    );
    return { stackMs, workerMs: new Map(readings.filter(([, ms]) => Number.isFinite(ms))) };
  } catch {
    return undefined;
  }
}

/**
 * What a phase cost per image in each process: the CPU time spent between two readings over the
 * images of the phase. A worker that started during the phase counts from zero.
 */
export function cpuPerImage(before: ProcessTreeCpu, after: ProcessTreeCpu, images: number): CpuPerImage {
  const stack = (after.stackMs - before.stackMs) / images;
  const workers = [...after.workerMs].map(([pid, ms]) => ({
    pid,
    ms: (ms - (before.workerMs.get(pid) ?? 0)) / images,
  }));
  const workersSum = workers.reduce((sum, worker) => sum + worker.ms, 0);
  return { stack, workers, workersSum, total: stack + workersSum };
}
