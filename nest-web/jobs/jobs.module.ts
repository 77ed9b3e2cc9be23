import { Module, type DynamicModule } from '@nestjs/common';
import { QueuesModule } from '../queues/queues.module.js';
import { ScalingModule } from '../scaling/scaling.module.js';
import { JobStoreModule } from '../storage/job-store.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { JobSubmissionService } from './job-submission.service.js';
import { PixelPreprocessor } from './pixel-preprocessor.js';

/** The web tier's side of the pipeline: uploads to S3, jobs to SQS, results back by job id. */
@Module({ providers: [JobSubmissionService], exports: [JobSubmissionService] })
export class JobsModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(JobsModule, parts, () => ({
      imports: [JobStoreModule.register(parts), QueuesModule.register(parts), ScalingModule.register(parts)],
      providers: [{ provide: PixelPreprocessor, useValue: PixelPreprocessor.forConfig(parts.config) }],
    }));
  }
}
