import { jest } from '@jest/globals';
import type { Prediction } from '#core/contracts/prediction.js';
import { BatchingClassifier, type ImageClassifier } from '#core/inference/batching-classifier.js';
import type { BatchClassification, Classifier } from '#core/inference/classifier.js';
import { preprocessSpecOf } from '#core/models/model-contract.js';
import { modelSpec } from '#core/models/registry.js';
import { loadTestClassifier, type TestClassifier } from '../../../support/classifier.js';

/** A one-byte "image" whose prediction names that byte, so a test can tell the rows apart. */
const image = (id: number) => Uint8Array.of(id);
const images = (...ids: number[]) => ids.map(image);
const predictionOf = (id: number): Prediction => {
  const score = { label: `image-${id}`, wnid: 'n00000000', index: id, confidence: 1 };
  return { ...score, top5: [score] };
};
const labelsOf = (result: BatchClassification) => result.predictions.map((prediction) => prediction.label);

/** A fake inner classifier: records the size of each call; `run` decides when and how a call ends. */
function fakeInner(options: { maxBatch?: number; run?: (images: readonly Uint8Array[]) => Promise<void> } = {}) {
  const calls: number[] = [];
  let running = 0;
  let mostRunning = 0;
  let closed = false;
  const inner: ImageClassifier = {
    modelName: 'fake',
    modelVersion: '1',
    preprocess: preprocessSpecOf(modelSpec('mobilenetv2-12-int8').contract.input),
    maxBatch: options.maxBatch ?? 8,
    executionProvider: 'cuda',
    async classify(batch) {
      calls.push(batch.length);
      mostRunning = Math.max(mostRunning, ++running);
      try {
        await options.run?.(batch);
      } finally {
        running--;
      }
      return {
        predictions: batch.map((bytes) => predictionOf(bytes[0]!)),
        inferenceMs: batch.map(() => 3),
        batchSizes: batch.map(() => batch.length),
      };
    },
    async close() {
      closed = true;
    },
  };
  return { inner, calls, mostRunning: () => mostRunning, closed: () => closed };
}

/** A promise the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('BatchingClassifier', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs two calls made within the window as one inner call, each getting its own rows in order', async () => {
    // Prepare
    const { inner, calls } = fakeInner();
    const batching = new BatchingClassifier(inner, { windowMs: 5 });
    // Act
    const first = batching.classify(images(1, 2, 3));
    await jest.advanceTimersByTimeAsync(2);
    const second = batching.classify(images(4, 5));
    await jest.advanceTimersByTimeAsync(2);
    const waitingAfter4Ms = calls.length;
    await jest.advanceTimersByTimeAsync(1);
    // Assess
    expect(waitingAfter4Ms).toBe(0);
    expect(calls).toEqual([5]);
    expect(labelsOf(await first)).toEqual(['image-1', 'image-2', 'image-3']);
    expect(await second).toEqual({
      predictions: [predictionOf(4), predictionOf(5)],
      inferenceMs: [3, 3],
      batchSizes: [5, 5],
    });
  });

  it('flushes as soon as the queued images reach the max batch, before the window ends', async () => {
    // Prepare
    const { inner, calls } = fakeInner({ maxBatch: 4 });
    const batching = new BatchingClassifier(inner, { windowMs: 1000 });
    // Act
    const first = batching.classify(images(1, 2));
    const second = batching.classify(images(3, 4));
    await jest.advanceTimersByTimeAsync(0);
    // Assess
    expect(calls).toEqual([4]);
    expect(labelsOf(await first)).toEqual(['image-1', 'image-2']);
    expect(labelsOf(await second)).toEqual(['image-3', 'image-4']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('passes every call straight through with a window of 0: no timer, no wait', async () => {
    // Prepare
    const { inner, calls } = fakeInner();
    const batching = new BatchingClassifier(inner, { windowMs: 0 });
    // Act
    const first = batching.classify(images(1));
    const second = batching.classify(images(2, 3));
    // Assess
    expect(calls).toEqual([1, 2]);
    expect(jest.getTimerCount()).toBe(0);
    expect(labelsOf(await first)).toEqual(['image-1']);
    expect(labelsOf(await second)).toEqual(['image-2', 'image-3']);
  });

  it('rejects only the calls of the flush whose inference failed; the next flush works', async () => {
    // Prepare
    const failure = new Error('CUDA out of memory');
    let failNext = true;
    const { inner, calls } = fakeInner({
      run: async () => {
        if (failNext) {
          failNext = false;
          throw failure;
        }
      },
    });
    const batching = new BatchingClassifier(inner, { windowMs: 5 });
    // Act
    const failed = [batching.classify(images(1)), batching.classify(images(2))];
    const failedOutcomes = Promise.allSettled(failed);
    await jest.advanceTimersByTimeAsync(5);
    const next = batching.classify(images(3, 4));
    await jest.advanceTimersByTimeAsync(5);
    // Assess
    expect(calls).toEqual([2, 2]);
    expect(await failedOutcomes).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    expect(labelsOf(await next)).toEqual(['image-3', 'image-4']);
  });

  it('holds a flush that falls due while another runs, collecting calls until that one ends', async () => {
    // Prepare
    const inference = deferred();
    let firstRun = true;
    const { inner, calls, mostRunning } = fakeInner({
      maxBatch: 4,
      run: async () => {
        if (firstRun) {
          firstRun = false;
          await inference.promise;
        }
      },
    });
    const batching = new BatchingClassifier(inner, { windowMs: 5 });
    const running = batching.classify(images(1, 2, 3, 4));
    await jest.advanceTimersByTimeAsync(0);
    // Act: a full queue and a later call, while the first inference still runs
    const full = batching.classify(images(5, 6, 7, 8));
    await jest.advanceTimersByTimeAsync(10);
    const late = batching.classify(images(9));
    await jest.advanceTimersByTimeAsync(10);
    const callsWhileRunning = [...calls];
    inference.resolve();
    await jest.advanceTimersByTimeAsync(0);
    // Assess
    expect(callsWhileRunning).toEqual([4]);
    expect(calls).toEqual([4, 5]);
    expect(mostRunning()).toBe(1);
    expect(labelsOf(await running)).toEqual(['image-1', 'image-2', 'image-3', 'image-4']);
    expect(labelsOf(await full)).toEqual(['image-5', 'image-6', 'image-7', 'image-8']);
    expect(labelsOf(await late)).toEqual(['image-9']);
  });

  it('flushes what is queued on close, then closes the inner classifier', async () => {
    // Prepare
    const { inner, calls, closed } = fakeInner();
    const batching = new BatchingClassifier(inner, { windowMs: 1000 });
    const queued = batching.classify(images(1, 2));
    // Act
    await batching.close();
    // Assess
    expect(calls).toEqual([2]);
    expect(labelsOf(await queued)).toEqual(['image-1', 'image-2']);
    expect(closed()).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('offers the inner classifier’s model name, max batch and execution provider', () => {
    // Prepare
    const { inner } = fakeInner({ maxBatch: 16 });
    // Act
    const batching = new BatchingClassifier(inner, { windowMs: 5 });
    // Assess
    expect(batching).toMatchObject({ modelName: 'fake', maxBatch: 16, executionProvider: 'cuda', windowMs: 5 });
  });
});

describe('BatchingClassifier on mobilenetv2-12-int8', () => {
  let loaded: TestClassifier;
  let classifier: Classifier;
  let photos: Uint8Array[];

  beforeAll(async () => {
    loaded = await loadTestClassifier({ maxBatch: 16, photos: 7 });
    ({ classifier, photos } = loaded);
  });
  afterAll(async () => loaded?.close());

  it('gives two concurrent calls of 3 and 4 images the predictions each gets alone, in one call of 7', async () => {
    // Prepare
    const [first, second] = [photos.slice(0, 3), photos.slice(3)];
    const alone = [await classifier.classify(first), await classifier.classify(second)];
    const batching = new BatchingClassifier(classifier, { windowMs: 20 });
    // Act
    const together = await Promise.all([batching.classify(first), batching.classify(second)]);
    // Assess
    expect(together.map((result) => result.predictions)).toEqual(alone.map((result) => result.predictions));
    expect(together.flatMap((result) => result.batchSizes)).toEqual([7, 7, 7, 7, 7, 7, 7]);
  });
});
