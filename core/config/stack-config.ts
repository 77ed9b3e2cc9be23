import path from 'node:path';
import { z } from 'zod';
import { intVar, parseEnv, stringVar, type Env } from './env-schema.js';
import { loadScalerConfig, type ScalerConfig } from './scaler-config.js';
import { loadDataDir, loadModelConfig, type ModelConfig } from './model-config.js';
import { loadQueuePolicy, loadResourceNames, type QueuePolicy, type ResourceNames } from './resource-names.js';

/** The embedded default (`npm start`): emulator, web tier and a local worker pool on one machine. */
export interface StackConfig {
  /** Root of local state. Env `GLIMPSE_DATA_DIR`; default `./.glimpse`. */
  readonly dataDir: string;
  /** Emulator (SQS + S3) port; 0 picks a free one. Env `GLIMPSE_EMULATOR_PORT`; default 4566. */
  readonly emulatorPort: number;
  /**
   * How the emulator's queue database (SQLite, WAL) reaches the disk. `normal` syncs at checkpoints:
   * nothing is lost when a process crashes or restarts, only an OS crash or power loss can roll back
   * the last commits. `full` syncs every commit (about 0.5 ms each, several per image).
   * Env `GLIMPSE_EMULATOR_SYNC`; default `normal`.
   */
  readonly emulatorSync: 'normal' | 'full';
  /** The scaler loop and its policy (min 0, max the CPU count, 1 s ticks, 1 s boot by default). */
  readonly scaler: ScalerConfig;
  readonly names: ResourceNames;
  readonly queue: QueuePolicy;
  readonly model: ModelConfig;
}

export const stackEnvSchema = z.object({
  GLIMPSE_EMULATOR_PORT: intVar(4566, 0, 65_535),
  GLIMPSE_EMULATOR_SYNC: stringVar('normal').pipe(z.enum(['normal', 'full'])),
});

export function loadStackConfig(env: Env): StackConfig {
  const parsed = parseEnv('local stack', stackEnvSchema, env);
  return {
    dataDir: loadDataDir(env),
    emulatorPort: parsed.GLIMPSE_EMULATOR_PORT,
    emulatorSync: parsed.GLIMPSE_EMULATOR_SYNC,
    scaler: loadScalerConfig(env, 'local'),
    names: loadResourceNames(env),
    queue: loadQueuePolicy(env),
    model: loadModelConfig(env),
  };
}

/** Where the emulator keeps its state under the data dir. */
export function emulatorDirs(dataDir: string): { dataDir: string; s3StorageDir: string } {
  return { dataDir: path.join(dataDir, 'emulator'), s3StorageDir: path.join(dataDir, 'emulator', 's3') };
}
