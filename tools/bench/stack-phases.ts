import type { Logger } from '#core/logging/logger.js';
import { classifyOnce, type Answer } from '../load/classify-request.js';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import type { AnswerKey } from '../shared/answer-key.js';
import { runs, type BenchOptions } from './bench-options.js';
import { cpuPerImage, PROC_ROOT, type CpuPerImage } from '../shared/process-cpu.js';
import { RssSampler, type RssThirds } from '../shared/process-memory.js';
import { StackProcess, type StackSettings } from '../shared/stack-process.js';
import { checkAnswers, failed, summarisePhase, type AnswerCheck, type PhaseFigures } from './summary.js';
import { cycle, type ImageEntry } from '../shared/workload.js';

/** `?wait=` of every measured upload: long enough that no answer is a 202. */
const UPLOAD_WAIT_SECONDS = 300;
/** `?wait=` of the cold upload. */
const COLD_WAIT_SECONDS = 60;
/**
 * Warm-up uploads per worker before anything is measured: enough for the JIT to settle in every
 * process (with fewer, the first measured phase ran about 20% slower than later ones).
 */
const WARM_UP_PER_WORKER = 100;
/** Uploads in flight during the warm-up. */
const WARM_UP_CONCURRENCY = 32;
/**
 * Unmeasured waves of uploads at the burst's concurrency before the burst: every process reaches
 * its working set at that concurrency first (V8's young generation filled, a buffer and a socket
 * per upload in flight). Without them the first third of the burst's RSS samples held that ramp,
 * e.g. the stack's 252 → 371 MiB in its first 6 s, and compared a ramp with a plateau.
 */
const BURST_WARM_UP_WAVES = 3;

/** A measured phase on the warm stack, with what it cost each process where /proc tells. */
export interface StackPhase extends PhaseFigures {
  /** Uploads in flight. */
  readonly concurrency: number;
  readonly cpuMsPerImage?: CpuPerImage;
  /** Per process, its RSS over the phase (first and last thirds); absent where /proc cannot tell. */
  readonly rss?: RssThirds[];
}

/** The sections measured on the warm stack. */
export interface WarmStackFigures {
  readonly e2e?: StackPhase;
  readonly oneClient?: StackPhase;
  readonly burst?: StackPhase;
  /** The stack's process id (its profile is named after it). */
  readonly stackPid: number;
}

/** From 0 workers to the first answer. */
export interface ColdFigures extends AnswerCheck {
  readonly ms: number;
}

interface Workload {
  readonly images: readonly ImageEntry[];
  readonly key?: AnswerKey;
  readonly log: Logger;
}

/**
 * Starts a stack with as many warm workers as asked, warms them, then runs end to end, one client
 * and burst on it, in that order, and stops it.
 */
export async function runWarmStack(
  options: BenchOptions,
  settings: StackSettings,
  workload: Workload,
): Promise<WarmStackFigures> {
  const stack = await StackProcess.start({ ...settings, minWorkers: options.workers, maxWorkers: options.workers });
  try {
    workload.log.info({ url: stack.url, workers: options.workers }, 'stack started: waiting for its workers');
    await stack.waitForWorkers(options.workers);
    await warmUp(stack, workload, WARM_UP_PER_WORKER * options.workers, WARM_UP_CONCURRENCY);
    const phase = (count: number, concurrency: number) => uploadPhase(stack, workload, count, concurrency);
    const e2e = runs(options, 'e2e') ? await phase(options.requests, options.concurrency) : undefined;
    const oneClient = runs(options, 'one-client') ? await phase(options.oneClient, 1) : undefined;
    const burst = runs(options, 'burst') ? await burstPhase(stack, workload, options) : undefined;
    return { e2e, oneClient, burst, stackPid: stack.pid };
  } finally {
    await stack.stop();
  }
}

/** A second stack with no worker: the time from one upload to its answer. */
export async function runColdStack(settings: StackSettings, workload: Workload): Promise<ColdFigures> {
  const stack = await StackProcess.start({ ...settings, minWorkers: 0 });
  try {
    const [filename, bytes] = workload.images[0]!;
    const answer = await classifyOnce(stack.url, filename, bytes, { cse546: false, waitSeconds: COLD_WAIT_SECONDS });
    workload.log.info({ ms: answer.ms, status: answer.status }, 'cold start measured');
    return { ms: answer.ms, ...checkAnswers([answer], workload.key) };
  } finally {
    await stack.stop();
  }
}

/** Unmeasured uploads (so that every session has run, or a working set is reached, before the clock starts). */
async function warmUp(stack: StackProcess, workload: Workload, count: number, concurrency: number): Promise<void> {
  workload.log.info({ count, concurrency }, 'warming up');
  const answers = await uploadAll(stack.url, cycle(workload.images, count), concurrency);
  const check = checkAnswers(answers, workload.key);
  if (failed(check)) workload.log.warn({ ...check }, 'warm-up uploads were not all answered right');
}

/** The burst, after its unmeasured warm-up waves at the same concurrency. */
async function burstPhase(stack: StackProcess, workload: Workload, options: BenchOptions): Promise<StackPhase> {
  await warmUp(stack, workload, BURST_WARM_UP_WAVES * options.burstConcurrency, options.burstConcurrency);
  return uploadPhase(stack, workload, options.burst, options.burstConcurrency);
}

/** `count` uploads with `concurrency` in flight, the stack's and workers' CPU read before and after. */
async function uploadPhase(
  stack: StackProcess,
  workload: Workload,
  count: number,
  concurrency: number,
): Promise<StackPhase> {
  workload.log.info({ count, concurrency }, 'uploading');
  const before = await stack.cpu();
  const memory = new RssSampler(stack.pid, PROC_ROOT);
  memory.start();
  const started = performance.now();
  const answers = await uploadAll(stack.url, cycle(workload.images, count), concurrency);
  const seconds = (performance.now() - started) / 1000;
  const rss = await memory.stop();
  const after = await stack.cpu();
  return {
    concurrency,
    ...summarisePhase(answers, seconds, workload.key),
    cpuMsPerImage: before && after ? cpuPerImage(before, after, count) : undefined,
    ...(rss.length > 0 ? { rss } : {}),
  };
}

function uploadAll(url: string, work: readonly ImageEntry[], concurrency: number): Promise<Answer[]> {
  return mapWithLimit(work, concurrency, ([filename, bytes]) =>
    classifyOnce(url, filename, bytes, { cse546: false, waitSeconds: UPLOAD_WAIT_SECONDS }),
  );
}
