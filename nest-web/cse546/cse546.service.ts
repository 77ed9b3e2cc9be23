import { Injectable } from '@nestjs/common';
import { stripExtension } from '#core/contracts/display-filename.js';
import { WebConfigService } from '../config/web-config.service.js';
import { ExtraImageError, JobEndedEarlyError, JobFailedError, ResultTimeoutError } from '../errors.js';
import { JobSubmissionService, type SubmittedJob } from '../jobs/job-submission.service.js';
import { ModelCatalogService } from '../models/model-catalog.service.js';
import { acceptImages } from '../uploads/uploaded-image.js';

/** The contract of the CSE546 course clients: one image in, `<name>:<label>` out. */
@Injectable()
export class Cse546Service {
  constructor(
    private readonly submissions: JobSubmissionService,
    private readonly config: WebConfigService,
    private readonly models: ModelCatalogService,
  ) {}

  /**
   * Classifies the one uploaded image with the default model, holding on until its result arrives
   * or the configured limit passes. Throws ResultTimeoutError (the job stays queued), JobFailedError,
   * or UnavailableModelError when the default model is unavailable.
   */
  async classify(files: readonly Express.Multer.File[], signal: AbortSignal): Promise<string> {
    if (files.length > 1) throw new ExtraImageError();
    const model = this.models.resolve(undefined);
    const images = acceptImages(files);
    const limitSeconds = this.config.cse546TimeoutSeconds;
    const [job] = await this.submissions.submitAndWait(images, limitSeconds * 1000, signal, { model });
    return answerFor(job!, limitSeconds);
  }
}

function answerFor(job: SubmittedJob, limitSeconds: number): string {
  const { record } = job;
  if (!record) throw new ResultTimeoutError(job.jobId, limitSeconds);
  if (record.status === 'failed') throw new JobFailedError(record.jobId, record.failure);
  if (record.status !== 'done') throw new JobEndedEarlyError(record.jobId, record.status);
  return `${stripExtension(job.filename)}:${record.prediction.label}`;
}
