import { sanitizeFilename } from '#core/contracts/display-filename.js';
import { NoImageError } from '../errors.js';

/** An upload that passed the input checks, spooled to disk for the length of its request. */
export interface UploadedImage {
  readonly filename: string;
  /** The type its magic number names (SpoolingStorage sniffed it), not the client's claim. */
  readonly mimeType: string;
  /** The spooled file; removed when the request ends. */
  readonly path: string;
  readonly size: number;
}

/**
 * The images of a request, each already judged by SpoolingStorage while it arrived (type by magic
 * number, request cap, declared pixels); here: at least one, with a safe display name.
 */
export function acceptImages(files: readonly Express.Multer.File[]): UploadedImage[] {
  if (files.length === 0) throw new NoImageError();
  return files.map((file) => ({
    filename: sanitizeFilename(file.originalname),
    mimeType: file.mimetype,
    path: file.path,
    size: file.size,
  }));
}
