import type { ModelArtifact } from './registry.js';

/** The model file is neither cached, nor in the mirror, nor downloadable. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';

  constructor(artifact: ModelArtifact, cacheDir: string, reasons: readonly string[]) {
    super(
      `${artifact.fileName} is not in the model cache (${cacheDir}) and could not be obtained: ` +
        `${reasons.join('; ')}. ` +
        `Either allow this machine to download ${artifact.url}, ` +
        `or set GLIMPSE_MODEL_MIRROR to a folder holding ${artifact.fileName} (sha256 ${artifact.sha256}).`,
    );
  }
}

/** Bytes that do not match the registry's size or sha256; they are never cached. */
export class ModelIntegrityError extends Error {
  override readonly name = 'ModelIntegrityError';

  constructor(artifact: ModelArtifact, source: string, detail: string) {
    super(`${artifact.fileName} from ${source} failed verification: ${detail}`);
  }
}
