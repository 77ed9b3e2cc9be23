import { sanitizeFilename } from '#core/contracts/display-filename.js';
import { NoImageError, UnsupportedImageError } from '../errors.js';
import { ACCEPTED_IMAGE_TYPES, sniffImageType } from './image-type.js';

/** An upload that passed the input checks. */
export interface UploadedImage {
  readonly filename: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

/**
 * Checks every file of a request before any is stored: at least one file, and each one an image
 * format the workers decode, by magic number rather than the client's content type.
 */
export async function acceptImages(files: readonly Express.Multer.File[]): Promise<UploadedImage[]> {
  if (files.length === 0) throw new NoImageError();
  return Promise.all(
    files.map(async (file) => {
      const filename = sanitizeFilename(file.originalname);
      const mimeType = await sniffImageType(file.buffer);
      if (!mimeType) throw new UnsupportedImageError(filename, ACCEPTED_IMAGE_TYPES);
      return { filename, mimeType, bytes: file.buffer };
    }),
  );
}
