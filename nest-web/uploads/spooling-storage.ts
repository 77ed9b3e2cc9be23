import { rm } from 'node:fs/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { sanitizeFilename } from '#core/contracts/display-filename.js';
import { ImageTooLargeError, UnsupportedImageError, UploadNotStoredError, WebError } from '../errors.js';
import { declaredSize } from './image-header.js';
import { ACCEPTED_IMAGE_TYPES, IMAGE_TYPE_SAMPLE_BYTES, sniffImageType } from './image-type.js';
import { readHead, RequestSpool } from './request-spool.js';
import type { SpoolFolder } from './spool-folder.js';

export interface SpoolingLimits {
  /** The app's folder that holds each request's temporary folder. */
  readonly root: SpoolFolder;
  readonly maxRequestBytes: number;
  readonly maxInputPixels: number;
}

/** What multer's file gets from this engine: where it lies, its size, and its type as sniffed. */
export type SpooledUpload = Pick<Express.Multer.File, 'path' | 'size' | 'mimetype'>;

/**
 * A multer storage engine that never holds a file whole in memory: each file is judged on its
 * first bytes (a non-image is refused before the rest is read), streamed to its own file
 * on disk with its bytes counted against the request cap, then refused if its header declares more
 * pixels than allowed. The file's `mimetype` becomes the sniffed type, not the client's claim.
 */
export class SpoolingStorage implements StorageEngine {
  constructor(private readonly limits: SpoolingLimits) {}

  _handleFile(
    request: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void,
  ): void {
    this.spool(request, file).then(
      (info) => callback(null, info),
      (error: unknown) => callback(error),
    );
  }

  _removeFile(_request: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(() => callback(null), callback);
  }

  private async spool(request: Request, file: Express.Multer.File): Promise<SpooledUpload> {
    const filename = sanitizeFilename(file.originalname);
    const { head, ended } = await readHead(file.stream, IMAGE_TYPE_SAMPLE_BYTES);
    const mimeType = await sniffImageType(head);
    if (!mimeType) {
      file.stream.resume();
      throw new UnsupportedImageError(filename, ACCEPTED_IMAGE_TYPES);
    }
    const spool = RequestSpool.of(request, request.res!, this.limits);
    const spooled = await spool.write(head, ended ? undefined : file.stream).catch((error: unknown) => {
      // The request cap is the client's doing; a full or failing disk is ours (503, nothing queued).
      throw error instanceof WebError || isAbort(error) ? error : new UploadNotStoredError(error);
    });
    const size = await declaredSize(head, spooled.path);
    if (size && size.width * size.height > this.limits.maxInputPixels) {
      throw new ImageTooLargeError(filename, size, this.limits.maxInputPixels);
    }
    return { path: spooled.path, size: spooled.size, mimetype: mimeType };
  }
}

/** The client went away while its file arrived: nobody hears the answer. */
function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
