import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier } from '#core/inference/classifier.js';
import { decodeToRgbSquare } from '#core/inference/preprocess.js';
import { loadModelFiles } from '#core/models/model-files.js';
import { modelSpec } from '#core/models/registry.js';
import { loadLabelledPhotos, readPhoto } from './images.js';
import { modelMirrorDir } from './paths.js';

/** A real mobilenetv2-12-int8 classifier on the CPU, the first labelled photos decoded for it, and its cleanup. */
export interface TestClassifier {
  readonly classifier: Classifier;
  readonly photos: Uint8Array[];
  close(): Promise<void>;
}

export async function loadTestClassifier(options: { maxBatch: number; photos: number }): Promise<TestClassifier> {
  const spec = modelSpec('mobilenetv2-12-int8');
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-classifier-'));
  const files = await loadModelFiles(spec, { cacheDir, mirrorDir: modelMirrorDir() });
  const classifier = await Classifier.create(files, {
    executionProvider: 'cpu',
    intraOpThreads: 1,
    maxBatch: options.maxBatch,
  });
  const labelled = (await loadLabelledPhotos()).slice(0, options.photos);
  const photos = await Promise.all(
    labelled.map(async ({ filename }) =>
      decodeToRgbSquare(await readPhoto(filename), spec, { maxInputPixels: 40_000_000 }),
    ),
  );
  return {
    classifier,
    photos,
    async close() {
      await classifier.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
