import { readFile } from 'node:fs/promises';
import { ensureArtifact, type ArtifactStoreOptions } from './artifact-store.js';
import { parseLabels, type ClassLabel } from './labels.js';
import type { ModelSpec } from './registry.js';

/** A model's verified weights on disk and its parsed labels. */
export interface ModelFiles {
  readonly spec: ModelSpec;
  readonly weightsPath: string;
  readonly labels: readonly ClassLabel[];
}

export const IMAGENET_CLASSES = 1000;

/** Ensures a model's weights and labels are cached and verified; parses the labels. */
export async function loadModelFiles(spec: ModelSpec, options: ArtifactStoreOptions): Promise<ModelFiles> {
  const [weightsPath, labelsPath] = await Promise.all([
    ensureArtifact(spec.weights, options),
    ensureArtifact(spec.labels, options),
  ]);
  const labels = parseLabels(await readFile(labelsPath, 'utf8'), IMAGENET_CLASSES);
  return { spec, weightsPath, labels };
}
