import path from 'node:path';
import { z } from 'zod';
import { MODEL_NAMES, type ModelName } from '../models/registry.js';
import { optionalStringVar, parseEnv, stringVar, type Env } from './env-schema.js';

/** Largest image a tier decodes, in pixels (a decompression-bomb guard): `GLIMPSE_MAX_INPUT_PIXELS`. */
export const DEFAULT_MAX_INPUT_PIXELS = 40_000_000;

/** Which model a worker serves and where its files come from. */
export interface ModelConfig {
  /** Registered model name. Env `GLIMPSE_MODEL`; default `mobilenetv2-12-int8`. */
  readonly model: ModelName;
  /** Folder that caches verified model files. Env `GLIMPSE_MODEL_CACHE`; default `<GLIMPSE_DATA_DIR>/models`. */
  readonly cacheDir: string;
  /**
   * Folder holding copies of the model files (same file names), used instead of a download.
   * Env `GLIMPSE_MODEL_MIRROR`; default: none (download from the registry URL).
   */
  readonly mirrorDir?: string;
}

/** Root of all local state (emulator data, model cache). Env `GLIMPSE_DATA_DIR`; default `./.glimpse`. */
export function loadDataDir(env: Env): string {
  return path.resolve(
    parseEnv('data dir', z.object({ GLIMPSE_DATA_DIR: stringVar('.glimpse') }), env).GLIMPSE_DATA_DIR,
  );
}

export const modelEnvSchema = z.object({
  GLIMPSE_MODEL: stringVar('mobilenetv2-12-int8').pipe(z.enum(MODEL_NAMES)),
  GLIMPSE_MODEL_CACHE: optionalStringVar(),
  GLIMPSE_MODEL_MIRROR: optionalStringVar(),
});

export function loadModelConfig(env: Env): ModelConfig {
  const parsed = parseEnv('model', modelEnvSchema, env);
  return {
    model: parsed.GLIMPSE_MODEL,
    cacheDir: path.resolve(parsed.GLIMPSE_MODEL_CACHE ?? path.join(loadDataDir(env), 'models')),
    mirrorDir: parsed.GLIMPSE_MODEL_MIRROR ? path.resolve(parsed.GLIMPSE_MODEL_MIRROR) : undefined,
  };
}
