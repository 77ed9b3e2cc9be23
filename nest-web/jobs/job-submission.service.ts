import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional, ServiceUnavailableException } from '@nestjs/common';
import type { ScalerNudge } from '#core/scaling/scaler-nudge.js';
import { SCALER_NUDGE } from '../aws/tokens.js';
import { JOB_MESSAGE_VERSION, type JobMessage } from '#core/contracts/job-message.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import type { UploadedImage } from '../uploads/uploaded-image.js';
import { JobStore } from './job-store.service.js';
import { RequestQueueService } from './request-queue.service.js';
import { ResponseQueueService } from './response-queue.service.js';
import { ResultWaiter } from './result-waiter.service.js';

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
    private readonly store: JobStore,
    private readonly requests: RequestQueueService,
    private readonly responses: ResponseQueueService,
    private readonly waiter: ResultWaiter,
    @Optional() @Inject(SCALER_NUDGE) private readonly scaler?: ScalerNudge,
  ) {}

  /**
   * Submits every image as its own job and waits up to `waitMs` (0: not at all) for the results.
   * Jobs are registered with the waiter before they are sent, so a fast result is never missed.
   */
  async submitAndWait(images: readonly UploadedImage[], waitMs: number, signal?: AbortSignal): Promise<SubmittedJob[]> {
    const submittedAt = new Date().toISOString();
    const waiting = waitMs > 0;
    let jobs: JobMessage[];
    try {
      jobs = await Promise.all(
        images.map(async (image): Promise<JobMessage> => {
          const jobId = randomUUID();
          const inputKey = await this.store.putInput(jobId, image, submittedAt);
          return {
            version: JOB_MESSAGE_VERSION,
            jobId,
            inputKey,
            filename: image.filename,
            submittedAt,
            ...(waiting ? { replyTo: this.responses.queueUrl } : {}),
          };
        }),
      );
    } catch (error) {
      throw unavailable(`could not store the upload: ${(error as Error).message}; nothing was queued`, []);
    }
    const jobIds = jobs.map((job) => job.jobId);
    if (waiting) jobIds.forEach((id) => this.waiter.expect(id));
    const { sent, error } = await this.requests.send(jobs);
    // New work: let the scaler act now (the first worker within a second of the first job).
    if (sent.length > 0) this.scaler?.nudge();
    if (error) {
      this.waiter.forget(jobIds);
      throw unavailable(`could not queue every job: ${error.message}`, sent);
    }
    const results = waiting ? await this.waiter.waitFor(jobIds, waitMs, signal) : new Map<string, ResultRecord>();
    // The worker's record names the image it classified; it is what the client sees.
    return jobs.map((job) => {
      const record = results.get(job.jobId);
      return { jobId: job.jobId, filename: record?.filename ?? job.filename, record };
    });
  }
}

/** 503 naming the jobs that did get queued (they will be done; poll them by id). */
function unavailable(message: string, queuedJobIds: readonly string[]): ServiceUnavailableException {
  return new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message, queuedJobIds });
}
