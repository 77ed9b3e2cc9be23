import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { LegacyController } from './legacy.controller.js';

@Module({
  imports: [JobsModule, UploadsModule],
  controllers: [LegacyController],
})
export class LegacyModule {}
