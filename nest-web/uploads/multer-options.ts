import type { MulterModuleOptions } from '@nestjs/platform-express';
import type { WebConfig } from '#core/config/web-config.js';
import type { SpoolFolder } from './spool-folder.js';
import { SpoolingStorage } from './spooling-storage.js';

/**
 * Upload limits from config: larger files fail with 413, extra files with 413, unknown fields with
 * 400; files go to disk under `spoolFolder`, never whole into memory.
 */
export function multerOptionsFor(config: WebConfig, spoolFolder: SpoolFolder): MulterModuleOptions {
  return {
    storage: new SpoolingStorage({
      root: spoolFolder,
      maxRequestBytes: config.maxRequestBytes,
      maxInputPixels: config.maxInputPixels,
    }),
    limits: {
      fileSize: config.maxUploadBytes,
      files: config.maxFilesPerRequest,
      fields: 20,
      parts: config.maxFilesPerRequest + 20,
    },
    // Busboy reads file names as latin1 unless told otherwise.
    defParamCharset: 'utf8',
  } as MulterModuleOptions;
}
