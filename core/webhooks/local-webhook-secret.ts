import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the local stack keeps its generated webhook secret, under its data dir. */
export function localWebhookSecretPath(dataDir: string): string {
  return path.join(dataDir, 'webhook-secret');
}

/**
 * The local stack's webhook signing secret: generated (32 random bytes, `whsec_` + base64) on the
 * first start and kept, readable by its owner only, so receivers keep verifying across restarts.
 */
export async function localWebhookSecret(dataDir: string): Promise<string> {
  const file = localWebhookSecretPath(dataDir);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing?.trim()) return existing.trim();
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  await mkdir(dataDir, { recursive: true });
  // `wx`: two stacks starting at once on one data dir keep the first secret written.
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
