import { Injectable } from '@nestjs/common';
import type { ClassificationBatch, ClassificationItem } from '#core/contracts/classification-item.js';
import { WebConfigService } from '../config/web-config.service.js';
import { JobNotFoundError, ModelNamedTwiceError, WaitTooLongError } from '../errors.js';
import { JobSubmissionService } from '../jobs/job-submission.service.js';
import { ModelCatalogService } from '../models/model-catalog.service.js';
import { JobStoreService } from '../storage/job-store.service.js';
import { acceptImages } from '../uploads/uploaded-image.js';
import { toClassificationItem } from './classification-view.js';

/** The REST API's jobs: many images in, each job's state out, readable by id later. */
@Injectable()
export class ClassificationsService {
  constructor(
    private readonly submissions: JobSubmissionService,
    private readonly store: JobStoreService,
    private readonly config: WebConfigService,
    private readonly models: ModelCatalogService,
  ) {}

  /**
   * Submits every file as a job for the requested model (the default when none; named in the query
   * or the form, not both differently) and waits up to `waitSeconds` (default from config) for the
   * results. An unknown or unavailable model is refused before anything is stored.
   */
  async classify(
    files: readonly Express.Multer.File[],
    waitSeconds: number | undefined,
    signal: AbortSignal,
    requested: { readonly query?: string; readonly form?: string } = {},
  ): Promise<ClassificationBatch> {
    const wait = waitSeconds ?? this.config.defaultWaitSeconds;
    if (wait > this.config.maxWaitSeconds) throw new WaitTooLongError(this.config.maxWaitSeconds);
    const { query, form } = requested;
    if (query !== undefined && form !== undefined && query !== form) throw new ModelNamedTwiceError(query, form);
    const model = this.models.resolve(query ?? form);
    const images = acceptImages(files);
    const jobs = await this.submissions.submitAndWait(images, wait * 1000, signal, model);
    return {
      items: jobs.map((job) => toClassificationItem(job.jobId, job.filename, job.record, { withTimings: false })),
    };
  }

  /** One job's state, from the buckets (so it survives web-tier restarts). */
  async find(jobId: string): Promise<ClassificationItem> {
    const stored = await this.store.find(jobId);
    if (!stored) throw new JobNotFoundError(jobId);
    return stored.state === 'finished'
      ? toClassificationItem(jobId, stored.record.filename, stored.record, { withTimings: true })
      : toClassificationItem(jobId, stored.filename, undefined, { withTimings: true });
  }
}
