import type { Classifier } from '#core/inference/classifier.js';
import type { Prediction } from '#core/contracts/prediction.js';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';

/** What the pipeline needs of a classifier. */
export type BatchClassifier = Pick<Classifier, 'maxBatch' | 'classify'>;

/**
 * Decodes the images with `decoders` in flight and classifies them in batches of the classifier's
 * `maxBatch` as soon as a batch is decoded, so that decoding the next batch overlaps inference on
 * this one (as a worker with several receive loops would). Predictions keep the images' order.
 */
export async function classifyPipelined(
  images: readonly Uint8Array[],
  decoders: number,
  decode: (image: Uint8Array) => Promise<Uint8Array>,
  classifier: BatchClassifier,
): Promise<Prediction[]> {
  const decoded = images.map(() => Promise.withResolvers<Uint8Array>());
  // A decode failure is thrown where its batch awaits it, not as an unhandled rejection.
  for (const square of decoded) square.promise.catch(() => undefined);
  void mapWithLimit(images, decoders, (image, n) => decode(image).then(decoded[n]!.resolve, decoded[n]!.reject));
  const predictions: Prediction[] = [];
  for (let start = 0; start < images.length; start += classifier.maxBatch) {
    const batch = await Promise.all(decoded.slice(start, start + classifier.maxBatch).map((d) => d.promise));
    predictions.push(...(await classifier.classify(batch)).predictions);
  }
  return predictions;
}
