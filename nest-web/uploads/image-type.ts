import { fileTypeFromBuffer } from 'file-type';

/** Formats the worker's decoder (sharp/libvips) reads, by MIME type. SVG is deliberately absent. */
export const ACCEPTED_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/apng',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
]);

/** Bytes from the start of a file that file-type needs to name its type (its own sample size). */
export const IMAGE_TYPE_SAMPLE_BYTES = 4100;

/** The image MIME type the bytes' magic number names, or undefined when it is no accepted image. */
export async function sniffImageType(bytes: Uint8Array): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  return detected && ACCEPTED_IMAGE_TYPES.has(detected.mime) ? detected.mime : undefined;
}
