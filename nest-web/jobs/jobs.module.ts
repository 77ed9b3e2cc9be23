import { Module } from '@nestjs/common';
import { JobStore } from './job-store.service.js';
import { JobSubmissionService } from './job-submission.service.js';
import { RequestQueueService } from './request-queue.service.js';
import { ResponseQueueService } from './response-queue.service.js';
import { ResultWaiter } from './result-waiter.service.js';

/** The web tier's side of the pipeline: uploads to S3, jobs to SQS, results back by job id. */
@Module({
  providers: [JobStore, RequestQueueService, ResponseQueueService, ResultWaiter, JobSubmissionService],
  exports: [JobStore, JobSubmissionService, RequestQueueService, ResponseQueueService, ResultWaiter],
})
export class JobsModule {}
