import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Prediction } from '../contracts/prediction.js';
import { preprocessSpecOf, type PreprocessSpec } from '../models/model-contract.js';
import type { ModelFolder } from '../models/model-folder.js';
import type { ExecutionProviderChoice } from '../config/worker-config.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { ExecutionProviderError, ModelOutputError } from './errors.js';
import { checkGraph } from './model-graph.js';
import { toPrediction } from './postprocess.js';
import { toTensorData } from './preprocess.js';

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
 * One onnxruntime session for one model folder; classifies preprocessed RGB squares in batches,
 * fed as its contract says (layout, channel order, scale). Its calls run one at a time
 * (onnxruntime-node runs a session on the calling thread anyway), which lets every call write its
 * input into the one reused tensor buffer.
 */
export class Classifier {
  /** The input tensor's values, sized for the largest batch. */
  private readonly input: Float32Array<ArrayBuffer>;
  /** The last call queued: the next one starts after it. */
  private lastRun: Promise<unknown> = Promise.resolve();
  /** How images become the input tensor. */
  readonly preprocess: PreprocessSpec;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly model: ModelFolder,
    private readonly batchLimit: number,
    /** The execution provider the session runs on. */
    readonly executionProvider: 'cuda' | 'cpu',
  ) {
    this.preprocess = preprocessSpecOf(model.contract.input);
    this.input = new Float32Array(batchLimit * 3 * this.preprocess.inputSize * this.preprocess.inputSize);
  }

  /**
   * Opens the model's ONNX file (CUDA first where asked or installed) and checks the graph against
   * the contract: a graph that disagrees throws ModelContractError, its session freed.
   */
  static async create(model: ModelFolder, options: ClassifierOptions): Promise<Classifier> {
    const batchLimit = Math.max(1, Math.min(options.maxBatch, model.contract.maxBatch));
    const { session, provider } = await openSession(model.weightsPath, options);
    try {
      checkGraph(model, session);
    } catch (error) {
      await session.release();
      throw error;
    }
    return new Classifier(session, model, batchLimit, provider);
  }

  get modelName(): string {
    return this.model.name;
  }

  /** The version of the contract it serves (`modelVersion` of its results). */
  get modelVersion(): string {
    return this.model.contract.version;
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
        result.predictions.push(toPrediction(row, this.model.labels, this.model.contract.output.kind === 'logits'));
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
    const { contract } = this.model;
    const side = this.preprocess.inputSize;
    const values = this.input.subarray(0, chunk.length * 3 * side * side);
    const shape = contract.input.layout === 'NCHW' ? [chunk.length, 3, side, side] : [chunk.length, side, side, 3];
    const input = new ort.Tensor('float32', toTensorData(chunk, this.preprocess, values), shape);
    const outputs = await this.session.run({ [contract.input.name]: input });
    const output = outputs[contract.output.name];
    if (!output) throw new ModelOutputError(`model output ${contract.output.name} missing`);
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

/** A session on CUDA where asked or installed (falling back to the CPU unless CUDA was required), else the CPU. */
async function openSession(
  weightsPath: string,
  options: ClassifierOptions,
): Promise<{ session: ort.InferenceSession; provider: 'cuda' | 'cpu' }> {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  const tryCuda =
    options.executionProvider === 'cuda' || (options.executionProvider === 'auto' && cudaProviderInstalled());
  if (tryCuda) {
    try {
      return {
        session: await ort.InferenceSession.create(weightsPath, { ...base, executionProviders: ['cuda'] }),
        provider: 'cuda',
      };
    } catch (error) {
      if (options.executionProvider === 'cuda') {
        throw new ExecutionProviderError('the CUDA execution provider was required but did not start', {
          cause: error,
        });
      }
      options.log?.warn({ error: describeError(error) }, 'CUDA execution provider unavailable, using the CPU');
    }
  }
  return {
    session: await ort.InferenceSession.create(weightsPath, { ...base, executionProviders: ['cpu'] }),
    provider: 'cpu',
  };
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
