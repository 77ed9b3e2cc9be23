import { batchWindowMsFor, type WorkerConfig } from '#core/config/worker-config.js';
import { BatchingClassifier, type ImageClassifier } from '#core/inference/batching-classifier.js';
import { Classifier } from '#core/inference/classifier.js';
import { ExecutionProviderError } from '#core/inference/errors.js';
import { unloadableModel } from '#core/inference/model-graph.js';
import type { Logger } from '#core/logging/logger.js';
import { ModelContractError } from '#core/models/errors.js';
import { openModelFolder } from '#core/models/model-folders.js';

/** Opens one model as a classifier; injected so tests need no onnxruntime session. */
export type OpenClassifier = (model: string) => Promise<ImageClassifier>;

/**
 * The models a worker serves, each opened the first time a job names it and kept: one session per
 * model for the worker's life, shared by its receive loops. A model whose folder or graph breaks
 * its contract (ModelContractError) keeps failing without being opened again; any other failure (a
 * download, a disk) is tried again by the next job that names the model. A job naming a model
 * that is not served (a forged one) opens nothing.
 */
export class ModelClassifiers {
  private readonly opened = new Map<string, Promise<ImageClassifier>>();

  constructor(
    /** The served models (`GLIMPSE_MODELS`), the first the default. */
    private readonly served: readonly [string, ...string[]],
    private readonly open: OpenClassifier,
  ) {}

  /** The model of a job that names none (a job from before jobs named their model). */
  get defaultModel(): string {
    return this.served[0];
  }

  /** The classifier of `model` (the default when undefined), opened once. */
  classifierFor(model: string | undefined): Promise<ImageClassifier> {
    const name = model ?? this.defaultModel;
    const existing = this.opened.get(name);
    if (existing) return existing;
    if (!this.served.includes(name)) {
      return Promise.reject(new ModelContractError(name, '', '', 'not served by this worker (GLIMPSE_MODELS)'));
    }
    const opening = this.open(name);
    this.opened.set(name, opening);
    opening.catch((error: unknown) => {
      if (!(error instanceof ModelContractError)) this.opened.delete(name);
    });
    return opening;
  }

  /** The names of the models opened so far. */
  get openedModels(): string[] {
    return [...this.opened.keys()];
  }

  /** Closes every opened classifier (each finishes its queued calls first). */
  async close(): Promise<void> {
    const opened = [...this.opened.values()];
    this.opened.clear();
    await Promise.all(
      opened.map(async (opening) => {
        const classifier = await opening.catch(() => undefined);
        await classifier?.close();
      }),
    );
  }
}

/**
 * Opens a model the worker's way: its folder (a built-in's fetched or mirrored once, verified), an
 * onnxruntime session checked against the contract, behind the batching window the receive loops
 * share (its default depends on where the session runs). A model in `unavailable` (its folder not
 * copied from the models bucket) is not opened. A file onnxruntime cannot load breaks the
 * contract, as the web tier's check finds it, so its jobs fail at once rather than retry; only a
 * CUDA provider that was required and did not start is the worker's own failure.
 */
export function workerClassifierOpener(
  config: WorkerConfig,
  log: Logger,
  unavailable: ReadonlyMap<string, ModelContractError> = new Map(),
): OpenClassifier {
  return async (model) => {
    const refused = unavailable.get(model);
    if (refused) throw refused;
    const folder = await openModelFolder(model, config.model);
    const classifier = await Classifier.create(folder, {
      executionProvider: config.executionProvider,
      intraOpThreads: config.intraOpThreads,
      maxBatch: config.maxBatch,
      log,
    }).catch((error: unknown) => {
      if (error instanceof ExecutionProviderError || error instanceof ModelContractError) throw error;
      throw unloadableModel(folder, error);
    });
    const windowMs = batchWindowMsFor(config, classifier.executionProvider);
    const { modelVersion: version, executionProvider, maxBatch } = classifier;
    log.info(
      { model, version, source: folder.source, executionProvider, maxBatch, batchWindowMs: windowMs },
      'model opened',
    );
    return new BatchingClassifier(classifier, { windowMs });
  };
}
