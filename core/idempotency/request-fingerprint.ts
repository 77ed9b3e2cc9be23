import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** What a classify request asks for, beside its files: part of its fingerprint. */
export interface RequestOptions {
  readonly model?: string;
  readonly webhook?: string;
  readonly deadlineSeconds?: number;
}

/** A file of the request, spooled to disk. */
export interface FingerprintedFile {
  readonly filename: string;
  readonly path: string;
}

/**
 * The fingerprint of a classify request: sha256 over each file's name and bytes, in order, and the
 * options. A retry of the same request has the same one; any other body under the same
 * idempotency key does not.
 */
export async function requestFingerprint(
  files: readonly FingerprintedFile[],
  options: RequestOptions,
): Promise<string> {
  const hash = createHash('sha256');
  // Lengths frame each part, so no two different requests hash the same bytes.
  const part = (value: string | Uint8Array) => {
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    hash.update(`${bytes.length}:`).update(bytes);
  };
  part(JSON.stringify([options.model ?? null, options.webhook ?? null, options.deadlineSeconds ?? null]));
  for (const file of files) {
    part(file.filename);
    part(await fileDigest(file.path));
  }
  return hash.digest('hex');
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
