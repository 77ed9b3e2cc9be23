import { Module, type DynamicModule } from '@nestjs/common';
import { BatchStore } from '#core/storage/batch-store.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
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
    const { outputBucket } = parts.config.names;
    return registerOnce(JobsModule, parts, () => ({
      imports: [
        DeadlinesModule.register(parts),
        JobStoreModule.register(parts),
        QueuesModule.register(parts),
        ScalingModule.register(parts),
      ],
      providers: [
        { provide: PixelPreprocessor, useValue: PixelPreprocessor.forConfig(parts.config) },
        { provide: BatchStore, useValue: new BatchStore(parts.clients.s3, { outputBucket }) },
      ],
    }));
  }
}
