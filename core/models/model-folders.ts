import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelConfig } from '../config/model-config.js';
import { ensureArtifact, type ArtifactStoreOptions } from './artifact-store.js';
import { ModelContractError } from './errors.js';
import { modelNameSchema } from './model-contract.js';
import { MODEL_JSON, readModelFolder, type ModelFolder } from './model-folder.js';
import { isBuiltInModel, modelSpec, type BuiltInModel } from './registry.js';

/** Where model folders are found: the user's folder of model folders, and the built-ins' cache. */
export interface ModelLocations extends ArtifactStoreOptions {
  /** Folder of model folders, one per model, named as the model (`GLIMPSE_MODEL_DIR`). */
  readonly modelDir: string;
}

/** The generated folder of a built-in model, inside the cache. */
export function builtInFolderPath(cacheDir: string, name: string): string {
  return path.join(cacheDir, 'built-in', name);
}

/**
 * Opens the folder of the model `name`: a built-in's folder generated from the registry (its files
 * fetched or mirrored once, verified), else the folder of that name in the model dir. Built-in
 * names are reserved: a folder taking one is not read. Throws {@link ModelContractError} for a
 * name that is neither, or a folder that breaks the contract.
 */
export async function openModelFolder(name: string, locations: ModelLocations): Promise<ModelFolder> {
  const checked = modelNameSchema.safeParse(name);
  if (!checked.success) throw new ModelContractError(name, MODEL_JSON, 'name', checked.error.issues[0]!.message);
  if (isBuiltInModel(name)) {
    const model = modelSpec(name);
    const folder = await readModelFolder(await prepareBuiltInFolder(model, locations), name, 'built-in');
    // The registry pins the bytes; the generated folder must hold exactly them.
    if (folder.sha256 !== model.weights.sha256) {
      throw new ModelContractError(
        name,
        folder.contract.file,
        '',
        `sha256 ${folder.sha256}, expected ${model.weights.sha256}`,
      );
    }
    return folder;
  }
  const dir = path.join(locations.modelDir, name);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ModelContractError(
      name,
      '',
      '',
      'no folder of this name in the model dir, and no built-in model of this name',
    );
  }
  return readModelFolder(dir, name, 'folder');
}

/**
 * Writes a built-in model's folder from its registry entry: its model.json, and its ONNX and
 * labels files linked (else copied) from the verified cache. Each file is replaced through a
 * rename, so concurrent processes never see a partial folder. Returns the folder.
 */
export async function prepareBuiltInFolder(model: BuiltInModel, options: ArtifactStoreOptions): Promise<string> {
  const [weights, labels] = await Promise.all([
    ensureArtifact(model.weights, options),
    ensureArtifact(model.labels, options),
  ]);
  const dir = builtInFolderPath(options.cacheDir, model.name);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    replaceFile(path.join(dir, MODEL_JSON), (temporary) =>
      writeFile(temporary, `${JSON.stringify(model.contract, null, 2)}\n`),
    ),
    replaceFile(path.join(dir, model.contract.file), (temporary) => linkOrCopy(weights, temporary)),
    replaceFile(path.join(dir, model.contract.labels), (temporary) => linkOrCopy(labels, temporary)),
  ]);
  return dir;
}

async function replaceFile(target: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${target}.${randomUUID()}.part`;
  try {
    await write(temporary);
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** A hard link costs no space; a cache on another file system gets a copy. */
async function linkOrCopy(source: string, target: string): Promise<void> {
  await link(source, target).catch(() => copyFile(source, target));
}

/**
 * Fetches (or copies from the mirror) and verifies the default model's files once, when it is a
 * built-in, so that the worker processes started next find them in the cache; a folder model's
 * files are in its folder already.
 */
export async function prepareDefaultModel(
  config: Pick<ModelConfig, 'model' | 'cacheDir' | 'mirrorDir'>,
): Promise<void> {
  if (isBuiltInModel(config.model)) await prepareBuiltInFolder(modelSpec(config.model), config);
}
