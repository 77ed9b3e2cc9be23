import { readImages } from '../load/images.js';

/** An image of the folder: its file name and bytes. */
export type ImageEntry = readonly [filename: string, bytes: Uint8Array];

/** The images of a folder in name order. */
export async function readImageEntries(folder: string): Promise<ImageEntry[]> {
  return [...(await readImages(folder))];
}

/** `count` images, going round the folder as often as it takes. */
export function cycle(images: readonly ImageEntry[], count: number): ImageEntry[] {
  return Array.from({ length: count }, (_, n) => images[n % images.length]!);
}
