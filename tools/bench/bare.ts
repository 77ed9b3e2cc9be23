import { Classifier } from '#core/inference/classifier.js';
import { decodeToRgbSquare, type DecodeLimits } from '#core/inference/preprocess.js';
import type { Logger } from '#core/logging/logger.js';
import type { ModelFolder } from '#core/models/model-folder.js';
import type { AnswerKey } from '../shared/answer-key.js';
import { classifyPipelined } from './bare-pipeline.js';
import { checkAnswers, timing, type AnswerCheck, type Outcome, type Timing } from './summary.js';
import { cycle, type ImageEntry } from '../shared/workload.js';

/** Images per onnxruntime call in the throughput run (the model's own limit caps it). */
export const BARE_BATCH = 8;

/** The bare figures of one onnxruntime configuration. */
export interface BareRun extends AnswerCheck {
  readonly intraOpThreads: number;
  /** Images per onnxruntime call in the throughput run. */
  readonly batch: number;
  readonly executionProvider: 'cuda' | 'cpu';
  /** Parallel decodes feeding batches. */
  readonly imagesPerSecond: number;
  /** CPU time of this process (every thread) per image of the throughput run. */
  readonly cpuMsPerImage: number;
  /** One image at a time: decode and a batch-1 call. */
  readonly latency: Timing;
}

/** Every configuration tried, the one with the most images/s and the one with the lowest batch-1 p50. */
export interface BareFigures {
  readonly runs: readonly BareRun[];
  readonly fastest: BareRun;
  readonly quickest: BareRun;
}

export interface BareSetup {
  readonly files: ModelFolder;
  readonly images: readonly ImageEntry[];
  readonly key?: AnswerKey;
  /** Images of the throughput run. */
  readonly requests: number;
  /** Images of the latency run. */
  readonly latencyImages: number;
  /** Decodes in flight; intra-op threads of the first configuration. */
  readonly cores: number;
  readonly limits: DecodeLimits;
  readonly log: Logger;
}

/**
 * The limit on this machine: the project's own decoding and classifier in this process, no queue,
 * no HTTP. Tries onnxruntime with as many intra-op threads as cores, and with one.
 */
export async function runBare(setup: BareSetup): Promise<BareFigures> {
  const runs: BareRun[] = [];
  for (const threads of new Set([setup.cores, 1])) runs.push(await runBareConfiguration(setup, threads));
  return {
    runs,
    fastest: runs.reduce((a, b) => (b.imagesPerSecond > a.imagesPerSecond ? b : a)),
    quickest: runs.reduce((a, b) => (b.latency.p50Ms < a.latency.p50Ms ? b : a)),
  };
}

type Decode = (image: Uint8Array) => Promise<Uint8Array>;

async function runBareConfiguration(setup: BareSetup, intraOpThreads: number): Promise<BareRun> {
  const classifier = await Classifier.create(setup.files, {
    executionProvider: 'auto',
    intraOpThreads,
    maxBatch: BARE_BATCH,
    log: setup.log,
  });
  try {
    const decode: Decode = (image) => decodeToRgbSquare(image, classifier.preprocess, setup.limits);
    const warmUp = cycle(setup.images, classifier.maxBatch);
    await classifier.classify(await Promise.all(warmUp.map(([, bytes]) => decode(bytes))));
    const throughput = await measureThroughput(setup, decode, classifier);
    setup.log.info({ intraOpThreads, imagesPerSecond: throughput.imagesPerSecond }, 'bare throughput measured');
    const latency = await measureLatency(cycle(setup.images, setup.latencyImages), decode, classifier);
    return {
      intraOpThreads,
      batch: classifier.maxBatch,
      executionProvider: classifier.executionProvider,
      imagesPerSecond: throughput.imagesPerSecond,
      cpuMsPerImage: throughput.cpuMsPerImage,
      latency: latency.timing,
      ...checkAnswers([...throughput.outcomes, ...latency.outcomes], setup.key),
    };
  } finally {
    await classifier.close();
  }
}

async function measureThroughput(setup: BareSetup, decode: Decode, classifier: Classifier) {
  const work = cycle(setup.images, setup.requests);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const predictions = await classifyPipelined(
    work.map(([, bytes]) => bytes),
    setup.cores,
    decode,
    classifier,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const outcomes = predictions.map((prediction, n): Outcome => ({
    filename: work[n]![0],
    status: 200,
    index: prediction.index,
    namesOwnImage: true,
    ms: NaN,
  }));
  return {
    imagesPerSecond: work.length / seconds,
    cpuMsPerImage: (cpu.user + cpu.system) / 1000 / work.length,
    outcomes,
  };
}

async function measureLatency(work: readonly ImageEntry[], decode: Decode, classifier: Classifier) {
  const outcomes: Outcome[] = [];
  for (const [filename, bytes] of work) {
    const started = performance.now();
    const { predictions } = await classifier.classify([await decode(bytes)]);
    outcomes.push({
      filename,
      status: 200,
      index: predictions[0]!.index,
      namesOwnImage: true,
      ms: performance.now() - started,
    });
  }
  const latencies = outcomes.map((o) => o.ms);
  return { timing: timing(latencies, latencies.reduce((sum, ms) => sum + ms, 0) / 1000), outcomes };
}
