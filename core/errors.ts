import { types } from 'node:util';
import type { z } from 'zod';
import type { ModelArtifact } from './models/registry.js';

/**
 * The base of every error Glimpse throws on purpose. Like Powertools' package errors it takes
 * `ErrorOptions`, so a wrapped failure keeps its `cause`, and each subclass is caught by class,
 * never by message text. Each tier's `errors.ts` extends it.
 */
export class GlimpseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Raised once, at start-up, when the environment does not describe a valid configuration. */
export class ConfigError extends GlimpseError {
  constructor(
    readonly section: string,
    readonly issues: readonly string[],
  ) {
    super(`Invalid ${section} configuration:\n  - ${issues.join('\n  - ')}`);
  }

  static fromZod(section: string, error: z.ZodError): ConfigError {
    return new ConfigError(
      section,
      error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
}

/** The model file is neither cached, nor in the mirror, nor downloadable. */
export class ModelUnavailableError extends GlimpseError {
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
export class ModelIntegrityError extends GlimpseError {
  constructor(artifact: ModelArtifact, source: string, detail: string) {
    super(`${artifact.fileName} from ${source} failed verification: ${detail}`);
  }
}

/** A label file that does not have one `<wnid> <names>` line per class. */
export class LabelFileError extends GlimpseError {}

/** SQS answered a queue call without the URL or ARN it must return. */
export class QueueLookupError extends GlimpseError {}

/** A model download answered with a non-2xx status. */
export class DownloadError extends GlimpseError {}

/**
 * One line describing any thrown value for logs and answers: `Name: message`, followed by each
 * cause in turn (`caused by Name: message`). Non-errors are stringified.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && !seen.has(current) && parts.length < 5) {
    seen.add(current);
    parts.push(describeOne(current));
    current = isError(current) ? current.cause : undefined;
  }
  return parts.join(': caused by ');
}

function describeOne(error: unknown): string {
  if (isError(error)) {
    return error.message ? `${error.name}: ${error.message}` : error.name;
  }
  return typeof error === 'string' ? error : String(error);
}

/** True for errors from any realm (a VM context's or a worker's errors fail `instanceof Error`). */
function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}
