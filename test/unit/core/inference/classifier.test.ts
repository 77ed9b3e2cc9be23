import type { Classifier } from '#core/inference/classifier.js';
import { loadTestClassifier, type TestClassifier } from '../../../support/classifier.js';
describe('Classifier on mobilenetv2-12-int8', () => {
  let loaded: TestClassifier;
  let classifier: Classifier;
  let photos: Uint8Array[];

  beforeAll(async () => {
    loaded = await loadTestClassifier({ maxBatch: 4, photos: 10 });
    ({ classifier, photos } = loaded);
  });
  afterAll(async () => loaded?.close());

  it('answers concurrent calls as it answers each alone, though they share one input buffer', async () => {
    // Prepare: calls of 3, 5 (two chunks of the max batch 4) and 2 images
    const calls = [photos.slice(0, 3), photos.slice(3, 8), photos.slice(8)];
    const alone = [];
    for (const images of calls) alone.push((await classifier.classify(images)).predictions);

    // Act
    const together = await Promise.all(calls.map((images) => classifier.classify(images)));

    // Assess
    expect(together.map((result) => result.predictions)).toEqual(alone);
    expect(together[1]!.batchSizes).toEqual([4, 4, 4, 4, 1]);
  });

  it('names the class of each photo as a batch of one does', async () => {
    // Prepare
    const oneByOne = [];
    for (const image of photos.slice(0, 4)) oneByOne.push((await classifier.classify([image])).predictions[0]);

    // Act
    const batched = await classifier.classify(photos.slice(0, 4));

    // Assess
    expect(batched.predictions.map((p) => p.index)).toEqual(oneByOne.map((p) => p!.index));
    expect(batched.predictions.map((p) => p.confidence)).toEqual(oneByOne.map((p) => expect.closeTo(p!.confidence, 5)));
  });
});
