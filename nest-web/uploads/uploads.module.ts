import { Module, type DynamicModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { RateLimitsModule } from '../rate-limits/rate-limits.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { multerOptionsFor } from './multer-options.js';
import { SpoolFolder } from './spool-folder.js';
import { UploadAdmission } from './upload-admission.js';

/**
 * Multipart parsing with the configured limits, for every module that accepts uploads; the one
 * {@link UploadAdmission} of the app (its upload bytes in flight are shared by every route) and
 * its {@link SpoolFolder} (swept at start, removed at a clean stop); the rate limits' image quota.
 */
@Module({})
export class UploadsModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(UploadsModule, parts, () => {
      const spoolFolder = new SpoolFolder();
      return {
        imports: [MulterModule.register(multerOptionsFor(parts.config, spoolFolder)), RateLimitsModule.register(parts)],
        providers: [
          { provide: UploadAdmission, useValue: new UploadAdmission(parts.config) },
          { provide: SpoolFolder, useValue: spoolFolder },
        ],
        exports: [MulterModule, UploadAdmission, RateLimitsModule],
      };
    });
  }
}
