import { Module, type DynamicModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { multerOptionsFor } from './multer-options.js';

/** Multipart parsing with the configured limits, for every module that accepts uploads. */
@Module({})
export class UploadsModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(UploadsModule, parts, () => ({
      imports: [MulterModule.register(multerOptionsFor(parts.config))],
      exports: [MulterModule],
    }));
  }
}
