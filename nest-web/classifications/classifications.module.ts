import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { ClassificationsController } from './classifications.controller.js';

@Module({
  imports: [JobsModule, UploadsModule],
  controllers: [ClassificationsController],
})
export class ClassificationsModule {}
