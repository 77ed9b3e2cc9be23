import type { PreprocessSpec } from '../models/model-contract.js';
import type { BatchClassification, Classifier } from './classifier.js';

/** What the worker needs of a classifier; {@link Classifier} and {@link BatchingClassifier} both offer it. */
export type ImageClassifier = Pick<
  Classifier,
  'classify' | 'close' | 'modelName' | 'modelVersion' | 'preprocess' | 'maxBatch' | 'executionProvider'
>;

export interface BatchingOptions {
  /**
   * How long the first queued call waits for others before its flush, unless the queue fills the
   * max batch sooner. 0 passes every call straight through.
   */
  readonly windowMs: number;
}

/** A call waiting for its flush. */
interface QueuedCall {
  readonly images: readonly Uint8Array[];
  resolve(result: BatchClassification): void;
  reject(error: unknown): void;
}

/**
 * Dynamic batching (like Triton's `max_queue_delay_microseconds`): the classify calls of the
 * worker's concurrent receive loops are queued and run together, so an accelerator sees full
 * batches instead of one small batch per receive.
 * - A flush runs when the queued images reach `maxBatch`, or `windowMs` after the first queued
 *   call, whichever comes first; each caller gets exactly its own rows, in order.
 * - One inference at a time: a flush that falls due while another runs waits for it, and the queue
 *   keeps collecting meanwhile.
 * - An inference error rejects only the calls of that flush.
 */
export class BatchingClassifier implements ImageClassifier {
  private queue: QueuedCall[] = [];
  private queuedImages = 0;
  /** The queue is to be flushed as soon as no inference runs. */
  private due = false;
  private windowTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly inner: ImageClassifier,
    private readonly options: BatchingOptions,
  ) {}

  get modelName(): string {
    return this.inner.modelName;
  }

  get modelVersion(): string {
    return this.inner.modelVersion;
  }

  get preprocess(): PreprocessSpec {
    return this.inner.preprocess;
  }

  get maxBatch(): number {
    return this.inner.maxBatch;
  }

  get executionProvider(): 'cuda' | 'cpu' {
    return this.inner.executionProvider;
  }

  get windowMs(): number {
    return this.options.windowMs;
  }

  classify(images: readonly Uint8Array[]): Promise<BatchClassification> {
    if (this.windowMs <= 0) return this.inner.classify(images);
    if (images.length === 0) return Promise.resolve({ predictions: [], inferenceMs: [], batchSizes: [] });
    return new Promise((resolve, reject) => {
      this.queue.push({ images, resolve, reject });
      this.queuedImages += images.length;
      if (this.queuedImages >= this.maxBatch) this.markDue();
      else if (!this.due) this.windowTimer ??= setTimeout(() => this.markDue(), this.windowMs);
    });
  }

  /** Flushes what is queued, waits for every running inference, then closes the inner classifier. */
  async close(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      this.markDue();
      await this.running;
    }
    await this.inner.close();
  }

  private markDue(): void {
    if (this.queue.length === 0) return;
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    this.due = true;
    this.flushIfIdle();
  }

  private flushIfIdle(): void {
    if (this.running || !this.due || this.queue.length === 0) return;
    const calls = this.queue;
    this.queue = [];
    this.queuedImages = 0;
    this.due = false;
    this.running = this.flush(calls).finally(() => {
      this.running = undefined;
      this.flushIfIdle();
    });
  }

  /** One inner classify for every queued image (it chunks by the model's limit); never rejects. */
  private async flush(calls: readonly QueuedCall[]): Promise<void> {
    let result: BatchClassification;
    try {
      result = await this.inner.classify(calls.flatMap((call) => call.images));
    } catch (error) {
      for (const call of calls) call.reject(error);
      return;
    }
    let start = 0;
    for (const call of calls) {
      const end = start + call.images.length;
      call.resolve({
        predictions: result.predictions.slice(start, end),
        inferenceMs: result.inferenceMs.slice(start, end),
        batchSizes: result.batchSizes.slice(start, end),
      });
      start = end;
    }
  }
}
