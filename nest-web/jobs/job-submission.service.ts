import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import { JOB_MESSAGE_VERSION, type JobMessage } from '#core/contracts/job-message.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import type { ModelSummary } from '#core/inference/model-catalog.js';
import { preprocessSpecOf } from '#core/models/model-contract.js';
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
    model?: JobModel,
  ): Promise<SubmittedJob[]> {
    const waiting = waitMs > 0;
    const jobs = await this.storeInputs(images, waiting ? this.responses.queueName : undefined, model);
    const jobIds = jobs.map((job) => job.jobId);
    if (waiting) jobIds.forEach((id) => this.waiter.expect(id));
    await this.enqueue(jobs);
    const results = waiting ? await this.waiter.waitFor(jobIds, waitMs, signal) : new Map<string, ResultRecord>();
    // The worker's record names the image it classified; it is what the client sees.
    return jobs.map((job) => {
      const record = results.get(job.jobId);
      return { jobId: job.jobId, filename: record?.filename ?? job.filename, record };
    });
  }

  /**
   * Stores every upload from its spooled file (and its pixels), a few at a time; one failure fails
   * the request before anything is queued.
   */
  private async storeInputs(
    images: readonly UploadedImage[],
    replyQueue: string | undefined,
    model: JobModel | undefined,
  ): Promise<JobMessage[]> {
    const submittedAt = new Date().toISOString();
    try {
      return await mapWithLimit(images, STORES_PER_REQUEST, async (image): Promise<JobMessage> => {
        const jobId = randomUUID();
        const [, pixels] = await Promise.all([
          this.store.putInputFile(jobId, image, submittedAt),
          model ? this.storePixels(jobId, image.path, model) : undefined,
        ]);
        return {
          version: JOB_MESSAGE_VERSION,
          jobId,
          filename: image.filename,
          submittedAt,
          ...(model ? { model: model.name } : {}),
          ...(replyQueue ? { replyQueue } : {}),
          ...(pixels ? { pixels } : {}),
        };
      });
    } catch (error) {
      throw new UploadNotStoredError(error);
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
      throw new JobsNotQueuedError(queued, refusal);
    }
    this.logger.debug({ jobIds: queued }, 'jobs queued');
  }
}
