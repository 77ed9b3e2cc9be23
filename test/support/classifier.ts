import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier } from '#core/inference/classifier.js';
import { decodeToRgbSquare } from '#core/inference/preprocess.js';
import { preprocessSpecOf } from '#core/models/model-contract.js';
import { openModelFolder } from '#core/models/model-folders.js';
import { modelSpec } from '#core/models/registry.js';
import type { AttemptClassifier } from '#worker/jobs/attempt.js';
import type { JobProcessorDeps } from '#worker/jobs/job-processor.js';
import { loadLabelledPhotos, readPhoto } from './images.js';
import { modelMirrorDir } from './paths.js';

/** A real mobilenetv2-12-int8 classifier on the CPU, the first labelled photos decoded for it, and its cleanup. */
export interface TestClassifier {
  readonly classifier: Classifier;
  readonly photos: Uint8Array[];
  close(): Promise<void>;
}

export async function loadTestClassifier(options: { maxBatch: number; photos: number }): Promise<TestClassifier> {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-classifier-'));
  const folder = await openModelFolder('mobilenetv2-12-int8', {
    cacheDir,
    mirrorDir: modelMirrorDir(),
    modelDir: cacheDir,
  });
  const classifier = await Classifier.create(folder, {
    executionProvider: 'cpu',
    intraOpThreads: 1,
    maxBatch: options.maxBatch,
  });
  const labelled = (await loadLabelledPhotos()).slice(0, options.photos);
  const photos = await Promise.all(
    labelled.map(async ({ filename }) =>
      decodeToRgbSquare(await readPhoto(filename), classifier.preprocess, { maxInputPixels: 40_000_000 }),
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

/**
 * The models of a worker that serves one model, for a JobProcessor under test: every job, whatever
 * model it names, gets `classifier` with the built-in mobilenet's preprocessing and version '1'.
 */
export function oneModel(classifier: Pick<AttemptClassifier, 'classify' | 'modelName'>): JobProcessorDeps['models'] {
  const opened: AttemptClassifier = {
    modelName: classifier.modelName,
    classify: (images) => classifier.classify(images),
    modelVersion: '1',
    preprocess: preprocessSpecOf(modelSpec('mobilenetv2-12-int8').contract.input),
  };
  return { defaultModel: classifier.modelName, classifierFor: async () => opened };
}
