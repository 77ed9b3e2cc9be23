import type { Prediction } from '#core/contracts/prediction.js';
import { classifyPipelined, type BatchClassifier } from '#tools/bench/bare-pipeline.js';

/** A classifier that predicts each image's first byte as its class and records its batches. */
function fakeClassifier(maxBatch: number): BatchClassifier & { batches: number[][] } {
  const batches: number[][] = [];
  return {
    maxBatch,
    batches,
    async classify(images) {
      batches.push(images.map((image) => image[0]!));
      const predictions = images.map((image) => ({ index: image[0]! }) as Prediction);
      return { predictions, inferenceMs: [], batchSizes: [] };
    },
  };
}

describe('classifyPipelined', () => {
  it('classifies in batches of the classifier limit, in order, with at most `decoders` decodes in flight', async () => {
    // Prepare
    const images = Array.from({ length: 10 }, (_, n) => Uint8Array.of(n));
    const classifier = fakeClassifier(4);
    let inFlight = 0;
    let mostInFlight = 0;
    const decode = async (image: Uint8Array) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      // Later images decode faster: the order must still hold.
      await new Promise((resolve) => setTimeout(resolve, 10 - image[0]!));
      inFlight--;
      return image;
    };

    // Act
    const predictions = await classifyPipelined(images, 3, decode, classifier);

    // Assess
    expect(predictions.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(classifier.batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(mostInFlight).toBe(3);
  });

  it('throws the decode failure of an image', async () => {
    const images = [Uint8Array.of(0), Uint8Array.of(1)];
    const decode = async (image: Uint8Array) => {
      if (image[0] === 1) throw new Error('cannot decode image');
      return image;
    };

    await expect(classifyPipelined(images, 2, decode, fakeClassifier(8))).rejects.toThrow('cannot decode image');
  });
});
