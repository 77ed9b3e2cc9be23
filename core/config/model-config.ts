import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { modelNameSchema } from '../models/model-contract.js';
import { DEFAULT_MODEL } from '../models/registry.js';
import { optionalStringVar, parseEnv, stringVar, type Env } from './env-schema.js';

/** Largest image a tier decodes, in pixels (a decompression-bomb guard): `GLIMPSE_MAX_INPUT_PIXELS`. */
export const DEFAULT_MAX_INPUT_PIXELS = 40_000_000;

/** Which models are served and where their folders and files come from. */
export interface ModelConfig {
  /**
   * The served models by name, the first being the default: built-in names or folders of the
   * model dir. Env `GLIMPSE_MODELS` (comma-separated); else `GLIMPSE_MODEL` as a one-model list;
   * default `mobilenetv2-12-int8`.
   */
  readonly models: readonly [string, ...string[]];
  /** The default model: the first of {@link models}. */
  readonly model: string;
  /**
   * Folder of model folders (`<dir>/<name>/model.json`, the ONNX file, the labels).
   * Env `GLIMPSE_MODEL_DIR`; default `<model cache>/folders`.
   */
  readonly modelDir: string;
  /** Folder that caches verified built-in model files. Env `GLIMPSE_MODEL_CACHE`; default `<GLIMPSE_DATA_DIR>/models`. */
  readonly cacheDir: string;
  /**
   * Folder holding copies of the built-in model files (same file names), used instead of a download.
   * Env `GLIMPSE_MODEL_MIRROR`; default: none (download from the registry URL).
   */
  readonly mirrorDir?: string;
  /**
   * On AWS: the bucket whose `<prefix><name>/` objects are each served folder model's files, copied
   * into the model dir at start. Env `GLIMPSE_MODELS_BUCKET`; default: none (the model dir as it is).
   */
  readonly bucket?: { readonly name: string; readonly prefix: string };
}

/** Root of all local state (emulator data, model cache). Env `GLIMPSE_DATA_DIR`; default `./.glimpse`. */
export function loadDataDir(env: Env): string {
  return path.resolve(
    parseEnv('data dir', z.object({ GLIMPSE_DATA_DIR: stringVar('.glimpse') }), env).GLIMPSE_DATA_DIR,
  );
}

const modelListVar = optionalStringVar().pipe(
  z
    .string()
    .transform((list) => list.split(',').map((name) => name.trim()))
    .pipe(z.array(modelNameSchema).min(1))
    .refine((names) => new Set(names).size === names.length, 'a model is named twice')
    .optional(),
);

export const modelEnvSchema = z.object({
  GLIMPSE_MODEL: optionalStringVar().pipe(modelNameSchema.optional()),
  GLIMPSE_MODELS: modelListVar,
  GLIMPSE_MODEL_DIR: optionalStringVar(),
  GLIMPSE_MODEL_CACHE: optionalStringVar(),
  GLIMPSE_MODEL_MIRROR: optionalStringVar(),
  GLIMPSE_MODELS_BUCKET: optionalStringVar().pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
      .optional(),
  ),
  GLIMPSE_MODELS_PREFIX: stringVar('models/').pipe(
    z.string().regex(/^([A-Za-z0-9!_.*'()-]+\/)*$/, 'a key prefix ending in "/"'),
  ),
});

export function loadModelConfig(env: Env): ModelConfig {
  const parsed = parseEnv('model', modelEnvSchema, env);
  const models = servedModels(parsed.GLIMPSE_MODELS, parsed.GLIMPSE_MODEL);
  const cacheDir = path.resolve(parsed.GLIMPSE_MODEL_CACHE ?? path.join(loadDataDir(env), 'models'));
  return {
    models,
    model: models[0],
    modelDir: path.resolve(parsed.GLIMPSE_MODEL_DIR ?? path.join(cacheDir, 'folders')),
    cacheDir,
    mirrorDir: parsed.GLIMPSE_MODEL_MIRROR ? path.resolve(parsed.GLIMPSE_MODEL_MIRROR) : undefined,
    ...(parsed.GLIMPSE_MODELS_BUCKET
      ? { bucket: { name: parsed.GLIMPSE_MODELS_BUCKET, prefix: parsed.GLIMPSE_MODELS_PREFIX } }
      : {}),
  };
}

/** GLIMPSE_MODELS, else GLIMPSE_MODEL alone; both set must agree on the default. */
function servedModels(list: string[] | undefined, single: string | undefined): [string, ...string[]] {
  if (list && single && list[0] !== single) {
    throw new ConfigError('model', [
      `GLIMPSE_MODEL (${single}) is not the first of GLIMPSE_MODELS (${list.join(',')}): set GLIMPSE_MODELS alone`,
    ]);
  }
  const [first = single ?? DEFAULT_MODEL, ...others] = list ?? [];
  return [first, ...others];
}
