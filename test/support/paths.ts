import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared test data next to the repository (`../shared`). */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
export const SHARED_IMAGES = path.join(SHARED_DIR, 'images');

/** Built entry points (npm test builds first). */
export const DIST_WORKER_ENTRY = path.join(REPO_ROOT, 'dist', 'worker', 'main.js');
export const DIST_STACK_ENTRY = path.join(REPO_ROOT, 'dist', 'local', 'main.js');

/**
 * The model mirror the tests use: GLIMPSE_MODEL_MIRROR (CI sets it to ../shared/models), else
 * ../shared/models when present. Tests never download.
 */
export function modelMirrorDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.GLIMPSE_MODEL_MIRROR;
  if (configured) return path.resolve(REPO_ROOT, configured);
  const fallback = path.join(SHARED_DIR, 'models');
  if (existsSync(fallback)) return fallback;
  throw new Error('tests need the models: set GLIMPSE_MODEL_MIRROR to a folder holding them (CI: ../shared/models)');
}
