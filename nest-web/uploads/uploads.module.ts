import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { WebConfig } from '#core/config/web-config.js';
import { WEB_CONFIG } from '../aws/tokens.js';
import { multerOptionsFor } from './multer-options.js';

/** Multipart parsing with the configured limits, for every module that accepts uploads. */
@Module({
  imports: [
    MulterModule.registerAsync({ inject: [WEB_CONFIG], useFactory: (config: WebConfig) => multerOptionsFor(config) }),
  ],
  exports: [MulterModule],
})
export class UploadsModule {}
