import { Injectable } from '@nestjs/common';
import type { ClassificationBatch, ClassificationItem } from '#core/contracts/classification-item.js';
import type { IdempotentJobs } from '#core/idempotency/idempotency-store.js';
import { WebConfigService } from '../config/web-config.service.js';
import {
  CancelIncompleteError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  JobAlreadyEndedError,
  JobNotFoundError,
  ModelNamedTwiceError,
  WaitTooLongError,
} from '../errors.js';
import { JobEndingsService } from '../jobs/job-endings.service.js';
import { JobSubmissionService, type JobOptions, type Submission } from '../jobs/job-submission.service.js';
import { ModelCatalogService } from '../models/model-catalog.service.js';
import { JobStoreService } from '../storage/job-store.service.js';
import { acceptImages, type UploadedImage } from '../uploads/uploaded-image.js';
import { toClassificationItem } from './classification-view.js';
import { IdempotentRequests, type IdempotencyScope } from './idempotent-requests.js';
import { WebhookCheck } from './webhook-check.js';

/** A field a request may give as a query parameter or a form field (not both differently). */
export interface EitherWay<T> {
  readonly query?: T;
  readonly form?: T;
}

/** One POST /v1/classifications, as the controller hands it over. */
export interface ClassifyRequest {
  readonly files: readonly Express.Multer.File[];
  readonly waitSeconds?: number;
  readonly model?: EitherWay<string>;
  readonly webhook?: EitherWay<string>;
  readonly deadline?: EitherWay<number>;
  readonly idempotency?: IdempotencyScope;
}

/** The REST API's jobs: many images in, each job's state out, readable by id later, cancelable. */
@Injectable()
export class ClassificationsService {
  constructor(
    private readonly submissions: JobSubmissionService,
    private readonly store: JobStoreService,
    private readonly config: WebConfigService,
    private readonly models: ModelCatalogService,
    private readonly endings: JobEndingsService,
    private readonly webhooks: WebhookCheck,
    private readonly idempotent: IdempotentRequests,
  ) {}

  /**
   * Submits every file as a job with the request's options and waits up to `waitSeconds` (default
   * from config) for the results. Anything refused (model, webhook, wait) is refused before
   * anything is stored. Under an idempotency key, a retry gets the first request's jobs as they are now.
   */
  async classify(request: ClassifyRequest, signal: AbortSignal): Promise<ClassificationBatch> {
    const wait = request.waitSeconds ?? this.config.defaultWaitSeconds;
    if (wait > this.config.maxWaitSeconds) throw new WaitTooLongError(this.config.maxWaitSeconds);
    const options = await this.jobOptionsOf(request);
    const images = acceptImages(request.files);
    if (!request.idempotency)
      return this.answer(await this.submissions.submit(images, wait > 0, options), wait, signal);
    return this.classifyOnce(request.idempotency, images, options, wait, signal);
  }

  private async classifyOnce(
    scope: IdempotencyScope,
    images: readonly UploadedImage[],
    options: JobOptions,
    wait: number,
    signal: AbortSignal,
  ): Promise<ClassificationBatch> {
    let submission: Submission | undefined;
    const fingerprinted = { ...options, model: options.model?.name };
    const outcome = await this.idempotent.run(scope, { files: images, options: fingerprinted }, async () => {
      submission = await this.submissions.submit(images, wait > 0, options);
      return idempotentJobsOf(submission);
    });
    switch (outcome.kind) {
      case 'created':
        return this.answer(submission!, wait, signal);
      case 'replayed':
        return this.currentState(outcome.jobs);
      case 'mismatch':
        throw new IdempotencyKeyReusedError();
      case 'in-progress':
        throw new IdempotencyKeyInProgressError();
    }
  }

  /** The model (the default when none), the checked webhook and the deadline a request names. */
  private async jobOptionsOf(request: ClassifyRequest): Promise<JobOptions> {
    const model = this.models.resolve(eitherWay(request.model, (query, form) => new ModelNamedTwiceError(query, form)));
    const webhook = await this.webhooks.accept(request.webhook?.query ?? request.webhook?.form);
    const deadlineSeconds = request.deadline?.query ?? request.deadline?.form;
    return { model, ...(webhook ? { webhook } : {}), ...(deadlineSeconds ? { deadlineSeconds } : {}) };
  }

  private async answer(submission: Submission, wait: number, signal: AbortSignal): Promise<ClassificationBatch> {
    const jobs = await this.submissions.waitFor(submission, wait * 1000, signal);
    const batch = submission.batchId ? { batchId: submission.batchId } : {};
    return {
      items: jobs.map((job) => ({
        ...toClassificationItem(job.jobId, job.filename, job.record, { withTimings: false }),
        ...batch,
      })),
    };
  }

  /** A replayed request's jobs, as they are now (queued, or how they ended). */
  private async currentState({ jobs, batchId }: IdempotentJobs): Promise<ClassificationBatch> {
    const items = await Promise.all(
      jobs.map(async ({ jobId, filename }) => {
        const stored = await this.store.find(jobId);
        const record = stored?.state === 'finished' ? stored.record : undefined;
        return toClassificationItem(jobId, record?.filename ?? filename, record, { withTimings: false });
      }),
    );
    return { items: items.map((item) => ({ ...item, ...(batchId ? { batchId } : {}) })) };
  }

  /** One job's state, from the buckets (so it survives web-tier restarts). */
  async find(jobId: string): Promise<ClassificationItem> {
    const stored = await this.store.find(jobId);
    if (!stored) throw new JobNotFoundError(jobId);
    return stored.state === 'finished'
      ? toClassificationItem(jobId, stored.record.filename, stored.record, { withTimings: true })
      : toClassificationItem(jobId, stored.filename, undefined, { withTimings: true });
  }

  /**
   * Cancels a job no worker has classified: it ends `canceled` (again: the same answer). A job that
   * ended otherwise keeps its ending (409 naming it); an unknown id is a 404.
   */
  async cancel(jobId: string): Promise<ClassificationItem> {
    const outcome = await this.endings.cancel(jobId).catch((error: unknown) => {
      throw new CancelIncompleteError(jobId, error);
    });
    if (outcome.kind === 'unknown') throw new JobNotFoundError(jobId);
    const { record } = outcome;
    if (outcome.kind === 'ended-before' && record.status !== 'canceled') {
      throw new JobAlreadyEndedError(jobId, record.status);
    }
    return toClassificationItem(jobId, record.filename, record, { withTimings: true });
  }
}

/** The value given one way or the other; both ways differently is the caller's error. */
function eitherWay<T>(field: EitherWay<T> | undefined, conflict: (query: T, form: T) => Error): T | undefined {
  const { query, form } = field ?? {};
  if (query !== undefined && form !== undefined && query !== form) throw conflict(query, form);
  return query ?? form;
}

function idempotentJobsOf(submission: Submission): IdempotentJobs {
  return {
    jobs: submission.jobs.map(({ jobId, filename }) => ({ jobId, filename })),
    ...(submission.batchId ? { batchId: submission.batchId } : {}),
  };
}
