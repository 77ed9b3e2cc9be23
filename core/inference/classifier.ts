import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Prediction } from '../contracts/prediction.js';
import type { ModelFiles } from '../models/model-files.js';
import type { ExecutionProviderChoice } from '../config/worker-config.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { ExecutionProviderError, ModelOutputError } from './errors.js';
import { toPrediction } from './postprocess.js';
import { toNchwTensorData } from './preprocess.js';

/** Predictions for a list of images and the cost of the onnxruntime calls that made them. */
export interface BatchClassification {
  readonly predictions: Prediction[];
  /** For each image: wall time of the onnxruntime call it was part of. */
  readonly inferenceMs: number[];
  /** For each image: how many images that call held. */
  readonly batchSizes: number[];
}

export interface ClassifierOptions {
  readonly executionProvider: ExecutionProviderChoice;
  readonly intraOpThreads: number;
  /** Most images per call; the model's own limit caps it. */
  readonly maxBatch: number;
  readonly log?: Logger;
}

/**
 * One onnxruntime session for one model; classifies preprocessed RGB squares in batches. Its calls
 * run one at a time (onnxruntime-node runs a session on the calling thread anyway), which lets
 * every call write its input into the one reused tensor buffer.
 */
export class Classifier {
  /** The input tensor's values, sized for the largest batch. */
  private readonly input: Float32Array<ArrayBuffer>;
  /** The last call queued: the next one starts after it. */
  private lastRun: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly files: ModelFiles,
    private readonly batchLimit: number,
    /** The execution provider the session runs on. */
    readonly executionProvider: 'cuda' | 'cpu',
  ) {
    this.input = new Float32Array(batchLimit * 3 * files.spec.inputSize * files.spec.inputSize);
  }

  static async create(files: ModelFiles, options: ClassifierOptions): Promise<Classifier> {
    const batchLimit = Math.max(1, Math.min(options.maxBatch, files.spec.maxBatch));
    const base: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.intraOpThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const tryCuda =
      options.executionProvider === 'cuda' || (options.executionProvider === 'auto' && cudaProviderInstalled());
    if (tryCuda) {
      try {
        const session = await ort.InferenceSession.create(files.weightsPath, {
          ...base,
          executionProviders: ['cuda'],
        });
        return new Classifier(session, files, batchLimit, 'cuda');
      } catch (error) {
        if (options.executionProvider === 'cuda') {
          throw new ExecutionProviderError('the CUDA execution provider was required but did not start', {
            cause: error,
          });
        }
        options.log?.warn({ error: describeError(error) }, 'CUDA execution provider unavailable, using the CPU');
      }
    }
    const session = await ort.InferenceSession.create(files.weightsPath, {
      ...base,
      executionProviders: ['cpu'],
    });
    return new Classifier(session, files, batchLimit, 'cpu');
  }

  get modelName(): string {
    return this.files.spec.name;
  }

  /** Largest number of images one onnxruntime call takes. */
  get maxBatch(): number {
    return this.batchLimit;
  }

  /** Classifies RGB squares (HWC bytes of the model's input size), in as few calls as the model allows. */
  async classify(images: readonly Uint8Array[]): Promise<BatchClassification> {
    const result: BatchClassification = { predictions: [], inferenceMs: [], batchSizes: [] };
    for (let start = 0; start < images.length; start += this.batchLimit) {
      const chunk = images.slice(start, start + this.batchLimit);
      const started = performance.now();
      const rows = await this.run(chunk);
      const elapsed = performance.now() - started;
      for (const row of rows) {
        result.predictions.push(toPrediction(row, this.files.labels, this.files.spec.outputIsLogits));
        result.inferenceMs.push(elapsed);
        result.batchSizes.push(chunk.length);
      }
    }
    return result;
  }

  /** Runs one chunk after every earlier one. */
  private run(chunk: readonly Uint8Array[]): Promise<Float32Array[]> {
    const result = this.lastRun.then(() => this.runNow(chunk));
    this.lastRun = result.catch(() => undefined);
    return result;
  }

  private async runNow(chunk: readonly Uint8Array[]): Promise<Float32Array[]> {
    const { spec } = this.files;
    const values = this.input.subarray(0, chunk.length * 3 * spec.inputSize * spec.inputSize);
    const input = new ort.Tensor('float32', toNchwTensorData(chunk, spec, values), [
      chunk.length,
      3,
      spec.inputSize,
      spec.inputSize,
    ]);
    const outputs = await this.session.run({ [spec.inputName]: input });
    const output = outputs[spec.outputName];
    if (!output) throw new ModelOutputError(`model output ${spec.outputName} missing`);
    const data = output.data as Float32Array;
    const classes = data.length / chunk.length;
    const rows = chunk.map((_, n) => data.slice(n * classes, (n + 1) * classes));
    input.dispose();
    output.dispose();
    return rows;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Whether onnxruntime-node's CUDA provider library is installed (`ONNXRUNTIME_NODE_INSTALL=cuda12`,
 * as the GPU AMI does). Checked first so that CPU machines do not log a failed CUDA load.
 */
export function cudaProviderInstalled(): boolean {
  const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  const binaries = path.join(path.dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(path.join(binaries, 'libonnxruntime_providers_cuda.so'));
}
