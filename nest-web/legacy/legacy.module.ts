import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { WebConfig } from '#core/config/web-config.js';
import { WEB_CONFIG } from '../aws/tokens.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { multerOptionsFor } from '../uploads/multer-options.js';
import { LegacyController } from './legacy.controller.js';

@Module({
  imports: [
    JobsModule,
    MulterModule.registerAsync({ inject: [WEB_CONFIG], useFactory: (config: WebConfig) => multerOptionsFor(config) }),
  ],
  controllers: [LegacyController],
})
export class LegacyModule {}
