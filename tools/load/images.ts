import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

const IMAGE_FILE = /\.(jpe?g|png|webp|gif|tiff?|avif)$/i;

/** The images of a folder as bytes, by file name in name order. */
export async function readImages(folder: string): Promise<Map<string, Uint8Array>> {
  const names = await readdir(folder).catch((error: unknown) => {
    throw new UsageError(`cannot read the images folder ${folder}`, { cause: error });
  });
  const files = names.filter((name) => IMAGE_FILE.test(name)).sort();
  if (files.length === 0) throw new UsageError(`no images in ${folder}`);
  return new Map(
    await Promise.all(files.map(async (name) => [name, await readFile(path.join(folder, name))] as const)),
  );
}
