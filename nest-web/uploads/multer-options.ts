import type { MulterModuleOptions } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { WebConfig } from '#core/config/web-config.js';

/** Upload limits from config: larger files fail with 413, extra files with 413, unknown fields with 400. */
export function multerOptionsFor(config: WebConfig): MulterModuleOptions {
  return {
    storage: memoryStorage(),
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
