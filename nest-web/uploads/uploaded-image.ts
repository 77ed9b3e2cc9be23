import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { sanitizeFilename } from '#core/contracts/display-filename.js';
import { ACCEPTED_IMAGE_TYPES, sniffImageType } from './image-type.js';

/** An upload that passed the input checks. */
export interface UploadedImage {
  readonly filename: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

/**
 * Checks every file of a request before any is stored: at least one file (400), and each one an
 * image format the workers decode, by magic number rather than the client's content type (415).
 */
export async function acceptImages(files: readonly Express.Multer.File[]): Promise<UploadedImage[]> {
  if (files.length === 0) throw new BadRequestException('no file uploaded');
  return Promise.all(
    files.map(async (file) => {
      const filename = sanitizeFilename(file.originalname);
      const mimeType = await sniffImageType(file.buffer);
      if (!mimeType) {
        throw new UnsupportedMediaTypeException(
          `${filename} is not a supported image (accepted: ${[...ACCEPTED_IMAGE_TYPES].join(', ')})`,
        );
      }
      return { filename, mimeType, bytes: file.buffer };
    }),
  );
}
