import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { childPids } from './process-cpu.js';

/** Resident set size of a process in MiB, from `<procRoot>/<pid>/status` (VmRSS). */
export async function readRssMiB(pid: number, procRoot: string): Promise<number> {
  const status = await readFile(path.join(procRoot, String(pid), 'status'), 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kib)) throw new RangeError(`no VmRSS in ${procRoot}/${pid}/status`);
  return kib / 1024;
}

/** How one process's memory went over a phase: the mean RSS of its first and last thirds of samples. */
export interface RssThirds {
  readonly pid: number;
  /** `stack` (web tier and emulator) or `worker`. */
  readonly role: 'stack' | 'worker';
  readonly samples: number;
  readonly firstThirdMiB: number;
  readonly lastThirdMiB: number;
  /** lastThird / firstThird − 1, in percent. */
  readonly changePct: number;
  readonly peakMiB: number;
  /** Every sample in order, in MiB (one a second by default), to plot or to read the trend from. */
  readonly seriesMiB: readonly number[];
}

/** Fewer samples than this say nothing about a trend: such a process is left out. */
const MIN_SAMPLES = 6;

/**
 * Samples the RSS of the stack process and of each of its children (the workers) every `everyMs`
 * from `start` to `stop`. A process that appears or exits meanwhile is sampled while it lives.
 */
export class RssSampler {
  private readonly samples = new Map<number, number[]>();
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;

  constructor(
    private readonly stackPid: number,
    private readonly procRoot: string,
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    const tick = () => void this.sample();
    tick();
    this.timer = setInterval(tick, this.everyMs);
  }

  /** Takes one sample of every process now (joins the one under way, if any). */
  sample(): Promise<void> {
    this.sampling ??= this.sampleOnce().finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  /** Stops sampling; per process with enough samples, its first and last thirds. */
  async stop(): Promise<RssThirds[]> {
    clearInterval(this.timer);
    await this.sampling;
    return [...this.samples]
      .filter(([, values]) => values.length >= MIN_SAMPLES)
      .map(([pid, values]) => thirdsOf(pid, pid === this.stackPid ? 'stack' : 'worker', values));
  }

  private async sampleOnce(): Promise<void> {
    const pids = [this.stackPid, ...(await childPids(this.stackPid, this.procRoot).catch(() => []))];
    const readings = await Promise.all(pids.map((pid) => readRssMiB(pid, this.procRoot).catch(() => undefined)));
    // Recorded in listing order (the stack first), whichever read finished first.
    pids.forEach((pid, index) => {
      const rss = readings[index];
      if (rss === undefined) return;
      const series = this.samples.get(pid);
      if (series) series.push(rss);
      else this.samples.set(pid, [rss]);
    });
  }
}

export function thirdsOf(pid: number, role: RssThirds['role'], values: readonly number[]): RssThirds {
  const third = Math.floor(values.length / 3);
  const mean = (part: readonly number[]) => part.reduce((sum, value) => sum + value, 0) / part.length;
  const firstThirdMiB = mean(values.slice(0, third));
  const lastThirdMiB = mean(values.slice(values.length - third));
  return {
    pid,
    role,
    samples: values.length,
    firstThirdMiB,
    lastThirdMiB,
    changePct: (lastThirdMiB / firstThirdMiB - 1) * 100,
    peakMiB: Math.max(...values),
    seriesMiB: values.map((value) => Math.round(value * 10) / 10),
  };
}
