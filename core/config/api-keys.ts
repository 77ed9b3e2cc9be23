import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/** A SHA-256 digest in hex: what the configuration holds of an API key (never the key itself). */
const DIGEST = /^[0-9a-f]{64}$/i;

/** Where the accepted keys' digests come from: `GLIMPSE_API_KEYS` and/or `GLIMPSE_API_KEYS_FILE`. */
export interface ApiKeySources {
  /** Comma-separated digests (`GLIMPSE_API_KEYS`). */
  readonly listed?: string;
  /** A file of one digest a line, `#` comments and blank lines ignored (`GLIMPSE_API_KEYS_FILE`). */
  readonly file?: string;
}

/**
 * The digests of the accepted API keys, lowercase, without repeats; empty when neither source is set.
 * A set source that yields no digest is an error: a deployment meant to ask for keys would
 * otherwise run open.
 */
export function loadApiKeyDigests(sources: ApiKeySources, readFile = readTextFile): readonly string[] {
  const problems: string[] = [];
  const digests: string[] = [];
  if (sources.listed !== undefined) {
    const listed = sources.listed.split(',').map((item) => item.trim());
    collect(listed, (n) => `GLIMPSE_API_KEYS item ${n}`, { digests, problems, skipBlank: false });
  }
  if (sources.file !== undefined) digests.push(...digestsOfFile(sources.file, readFile, problems));
  if (problems.length > 0) throw new ConfigError('web', problems);
  return [...new Set(digests.map((digest) => digest.toLowerCase()))];
}

function digestsOfFile(file: string, readFile: (file: string) => string, problems: string[]): string[] {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    problems.push(`GLIMPSE_API_KEYS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
    return [];
  }
  // Comments and blank lines stay in the list as '' so a problem names the file's own line number.
  const lines = text.split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim());
  const digests: string[] = [];
  collect(lines, (n) => `GLIMPSE_API_KEYS_FILE ${file} line ${n}`, { digests, problems, skipBlank: true });
  if (digests.length === 0 && problems.length === 0) problems.push(`GLIMPSE_API_KEYS_FILE ${file} holds no digest`);
  return digests;
}

/** Sorts items into digests and problems; a problem names its place, never the value (it may be a key). */
function collect(
  items: readonly string[],
  where: (n: number) => string,
  into: { digests: string[]; problems: string[]; skipBlank: boolean },
): void {
  items.forEach((item, i) => {
    if (item === '' && into.skipBlank) return;
    if (DIGEST.test(item)) into.digests.push(item);
    else into.problems.push(`${where(i + 1)}: expected a SHA-256 digest of a key (64 hex characters)`);
  });
}

function readTextFile(file: string): string {
  return readFileSync(file, 'utf8');
}
