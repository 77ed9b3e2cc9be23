import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import { JOB_MESSAGE_VERSION, type JobMessage } from '#core/contracts/job-message.js';
import { RESULT_RECORD_VERSION, timingsWithoutWork, type ResultRecord } from '#core/contracts/result-record.js';
import { describeError } from '#core/errors.js';
import type { ModelSummary } from '#core/inference/model-catalog.js';
import { preprocessSpecOf } from '#core/models/model-contract.js';
import { BatchStore } from '#core/storage/batch-store.js';
import type { JobInputDetails } from '#core/storage/job-store.js';
import { DeadlineChecksService } from '../deadlines/deadline-checks.service.js';
import { JobsNotQueuedError, UploadNotStoredError } from '../errors.js';
import { RequestQueueService } from '../queues/request-queue.service.js';
import { ResponseQueueService } from '../queues/response-queue.service.js';
import { ResultWaiter } from '../queues/result-waiter.service.js';
import { ScalerNudgeService } from '../scaling/scaler-nudge.service.js';
import { JobStoreService } from '../storage/job-store.service.js';
import type { UploadedImage } from '../uploads/uploaded-image.js';
import { PixelPreprocessor } from './pixel-preprocessor.js';

/**
 * Uploads of one request stored at once: a streamed store buffers up to one multipart part, so
 * this bounds a request's memory, not only its connections.
 */
const STORES_PER_REQUEST = 8;

/** The served model a request's jobs name (GET /v1/models): its name, and its input contract for web-tier preprocessing. */
export type JobModel = Pick<ModelSummary, 'name' | 'contract'>;

/** A job as its submitter sees it: its id, its image's name, and its result if one came in time. */
export interface SubmittedJob {
  readonly jobId: string;
  readonly filename: string;
  readonly record?: ResultRecord;
}

/** What a request asks of its jobs besides the images. */
export interface JobOptions {
  readonly model?: JobModel;
  /** Where each job's ending is POSTed; checked already (core/webhooks/webhook-destination.ts). */
  readonly webhook?: string;
  /** Seconds from now after which a job not yet started ends `expired`. */
  readonly deadlineSeconds?: number;
}

/** The jobs of one request, queued: `batchId` when it had several files; `waiting` when registered with the waiter. */
export interface Submission {
  readonly jobs: readonly JobMessage[];
  readonly batchId?: string;
  readonly waiting: boolean;
}

/** Stores uploads, enqueues one job per image, and optionally waits for their results. */
@Injectable()
export class JobSubmissionService {
  constructor(
    private readonly store: JobStoreService,
    private readonly requests: RequestQueueService,
    private readonly responses: ResponseQueueService,
    private readonly waiter: ResultWaiter,
    private readonly scaler: ScalerNudgeService,
    private readonly preprocessor: PixelPreprocessor,
    private readonly deadlines: DeadlineChecksService,
    private readonly batches: BatchStore,
    @InjectPinoLogger(JobSubmissionService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Submits every image as its own job and waits up to `waitMs` (0: not at all) for the results.
   * Jobs are registered with the waiter before they are sent, so a fast result is never missed.
   */
  async submitAndWait(
    images: readonly UploadedImage[],
    waitMs: number,
    signal?: AbortSignal,
    options: JobOptions = {},
  ): Promise<SubmittedJob[]> {
    return this.waitFor(await this.submit(images, waitMs > 0, options), waitMs, signal);
  }

  /**
   * Stores the uploads (with their batch and deadline checks) and queues one job per image; with
   * `waiting`, registers the jobs with the waiter first, so a fast result is never missed.
   */
  async submit(images: readonly UploadedImage[], waiting: boolean, options: JobOptions = {}): Promise<Submission> {
    const batchId = images.length > 1 ? randomUUID() : undefined;
    const details = this.detailsOf(options, batchId, waiting);
    const jobs = await this.storeInputs(images, details, options.model);
    if (details.deadline) await this.scheduleDeadlines(jobs, details.deadline);
    if (waiting) jobs.forEach((job) => this.waiter.expect(job.jobId));
    await this.enqueue(jobs);
    return { jobs, batchId, waiting };
  }

  /** Waits up to `waitMs` for a submission's results (none when it is not waiting). */
  async waitFor(submission: Submission, waitMs: number, signal?: AbortSignal): Promise<SubmittedJob[]> {
    const { jobs, waiting } = submission;
    const jobIds = jobs.map((job) => job.jobId);
    const results = waiting ? await this.waiter.waitFor(jobIds, waitMs, signal) : new Map<string, ResultRecord>();
    // The worker's record names the image it classified; it is what the client sees.
    return jobs.map((job) => {
      const record = results.get(job.jobId);
      return { jobId: job.jobId, filename: record?.filename ?? job.filename, record };
    });
  }

  /** What every job of the request carries, in its message and on its upload. */
  private detailsOf(options: JobOptions, batchId: string | undefined, waiting: boolean): JobInputDetails {
    const { model, webhook, deadlineSeconds } = options;
    return {
      ...(model ? { model: model.name } : {}),
      ...(webhook ? { webhook } : {}),
      ...(deadlineSeconds === undefined
        ? {}
        : { deadline: new Date(Date.now() + deadlineSeconds * 1000).toISOString() }),
      ...(batchId ? { batchId } : {}),
      ...(waiting ? { replyQueue: this.responses.queueName } : {}),
    };
  }

  /**
   * Stores every upload from its spooled file (and its pixels), a few at a time, then the batch of
   * a several-file request; one failure fails the request before anything is queued.
   */
  private async storeInputs(
    images: readonly UploadedImage[],
    details: JobInputDetails,
    model: JobModel | undefined,
  ): Promise<JobMessage[]> {
    const submittedAt = new Date().toISOString();
    try {
      const jobs = await mapWithLimit(images, STORES_PER_REQUEST, async (image): Promise<JobMessage> => {
        const jobId = randomUUID();
        const [, pixels] = await Promise.all([
          this.store.putInputFile(jobId, image, submittedAt, details),
          model ? this.storePixels(jobId, image.path, model) : undefined,
        ]);
        return {
          version: JOB_MESSAGE_VERSION,
          jobId,
          filename: image.filename,
          submittedAt,
          ...details,
          ...(pixels ? { pixels } : {}),
        };
      });
      if (details.batchId) await this.batches.put(details.batchId, jobs);
      return jobs;
    } catch (error) {
      throw new UploadNotStoredError(error);
    }
  }

  /**
   * Sends each job's deadline check before the job: no job with a deadline is queued without one.
   * When they cannot be sent, none of the jobs is queued, and each ends `not_queued` at once (its
   * upload and its batch are stored already: they must not read `queued` forever).
   */
  private async scheduleDeadlines(jobs: readonly JobMessage[], deadline: string): Promise<void> {
    try {
      await this.deadlines.schedule(jobs.map((job) => ({ jobId: job.jobId, deadline })));
    } catch (error) {
      await this.endUnqueued(jobs);
      throw new JobsNotQueuedError([], error as Error);
    }
  }

  /** With web-tier preprocessing, stores the upload's pixels cut for the job's model; returns their contract. */
  private async storePixels(jobId: string, file: string, model: JobModel): Promise<JobMessage['pixels']> {
    const pixels = await this.preprocessor.pixelsFor(file, preprocessSpecOf(model.contract.input));
    if (!pixels) return undefined;
    await this.store.putPixels(jobId, pixels.rgb);
    return pixels.contract;
  }

  /** Sends the jobs; the scaler hears of any that got queued, even when others were refused. */
  private async enqueue(jobs: readonly JobMessage[]): Promise<void> {
    const { queued, refusal } = await this.requests.send(jobs);
    // New work: let the scaler act now (the first worker within a second of the first job).
    if (queued.length > 0) this.scaler.nudge();
    if (refusal) {
      this.waiter.forget(jobs.map((job) => job.jobId));
      await this.endUnqueued(jobs.filter((job) => !queued.includes(job.jobId)));
      throw new JobsNotQueuedError(queued, refusal);
    }
    this.logger.debug({ jobIds: queued }, 'jobs queued');
  }

  /**
   * A job SQS refused will never run: it ends `failed` / `not_queued` at once, so that reading it by
   * id, its batch and its batch's event stream all see it end instead of waiting for it forever.
   */
  private async endUnqueued(jobs: readonly JobMessage[]): Promise<void> {
    const message = 'the job could not be queued; send the image again';
    await mapWithLimit(jobs, STORES_PER_REQUEST, async (job) => {
      const record: ResultRecord = {
        version: RESULT_RECORD_VERSION,
        jobId: job.jobId,
        filename: job.filename,
        model: job.model ?? 'unknown',
        workerId: 'web',
        status: 'failed',
        failure: { code: 'not_queued', message },
        timings: timingsWithoutWork(job.submittedAt, Date.now()),
      };
      await this.store.putResult(record).catch((error: unknown) => {
        this.logger.warn({ jobId: job.jobId, error: describeError(error) }, 'could not store a not-queued ending');
      });
    });
  }
}
