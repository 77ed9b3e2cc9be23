import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, DownloadError, ModelIntegrityError, ModelUnavailableError } from '../errors.js';
import type { ModelArtifact } from './registry.js';

export interface ArtifactStoreOptions {
  /** Folder of verified files. */
  readonly cacheDir: string;
  /** Folder holding copies of the files under the same names. */
  readonly mirrorDir?: string;
  /** HTTP client; injected so tests run without a network. */
  readonly fetch?: typeof globalThis.fetch;
  /** Largest time a download may take. */
  readonly downloadTimeoutMs?: number;
}

/**
 * Returns the path of a verified copy of `artifact`: from the cache, else copied from the mirror,
 * else downloaded. Bytes are checked (size, sha256) before they enter the cache, and written via a
 * temporary file and a rename, so concurrent processes never see a partial file.
 */
export async function ensureArtifact(artifact: ModelArtifact, options: ArtifactStoreOptions): Promise<string> {
  const target = path.join(options.cacheDir, artifact.fileName);
  const cached = await readIfPresent(target);
  if (cached && verify(artifact, cached) === undefined) return target;

  const reasons: string[] = [];
  if (cached) reasons.push(`the cached copy is corrupt (${verify(artifact, cached)})`);

  if (options.mirrorDir) {
    const source = path.join(options.mirrorDir, artifact.fileName);
    const bytes = await readIfPresent(source);
    if (!bytes) {
      reasons.push(`GLIMPSE_MODEL_MIRROR (${options.mirrorDir}) has no ${artifact.fileName}`);
    } else {
      const problem = verify(artifact, bytes);
      if (problem) throw new ModelIntegrityError(artifact, source, problem);
      await writeAtomically(target, bytes);
      return target;
    }
  }

  const bytes = await download(artifact, options).catch((error: unknown) => {
    if (error instanceof ModelIntegrityError) throw error;
    reasons.push(`download failed (${describeError(error)})`);
    return undefined;
  });
  if (!bytes) throw new ModelUnavailableError(artifact, options.cacheDir, reasons);
  await writeAtomically(target, bytes);
  return target;
}

/** Returns undefined when `bytes` are the artifact, else what is wrong with them. */
function verify(artifact: ModelArtifact, bytes: Uint8Array): string | undefined {
  if (bytes.byteLength !== artifact.sizeBytes) {
    return `size ${bytes.byteLength} bytes, expected ${artifact.sizeBytes}`;
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  return digest === artifact.sha256 ? undefined : `sha256 ${digest}, expected ${artifact.sha256}`;
}

async function download(artifact: ModelArtifact, options: ArtifactStoreOptions): Promise<Buffer> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const response = await fetchImpl(artifact.url, {
    redirect: 'follow',
    signal: AbortSignal.timeout(options.downloadTimeoutMs ?? 120_000),
  });
  if (!response.ok) throw new DownloadError(`HTTP ${response.status} from ${artifact.url}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const problem = verify(artifact, bytes);
  if (problem) throw new ModelIntegrityError(artifact, artifact.url, problem);
  return bytes;
}

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomUUID()}.part`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
}
