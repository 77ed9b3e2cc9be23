import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { replyQueueUrl } from '../aws/response-queues.js';
import {
  parseResultRecord,
  RESULT_RECORD_VERSION,
  timingsWithoutWork,
  type ResultRecord,
} from '../contracts/result-record.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { JobInputInfo, JobStore } from '../storage/job-store.js';
import type { WebhookRequests } from '../webhooks/webhook-requests.js';

/** The endings a job gets without a worker: its client canceled it, or its deadline passed. */
export type EarlyEnding = 'canceled' | 'expired';

/** What ending a job early came to. */
export type EndingOutcome =
  /** This call stored the ending: the job will never be classified. */
  | { readonly kind: 'ended'; readonly record: ResultRecord }
  /** The job had an ending already (done, failed, canceled or expired): it stands. */
  | { readonly kind: 'ended-before'; readonly record: ResultRecord }
  /** No job has this id (or its upload and ending are both gone). */
  | { readonly kind: 'unknown' };

export interface JobEndingsOptions {
  readonly store: Pick<JobStore, 'readResult' | 'readInputInfo' | 'putResult' | 'deleteInput'>;
  readonly sqs: SQSClient;
  /** Reply queues are resolved by name on this queue's endpoint (as the workers do). */
  readonly requestQueueUrl: () => string;
  readonly webhooks: Pick<WebhookRequests, 'request'>;
  /**
   * Hands the ending to a request waiting for it in this process; true when one was. Else the
   * ending goes to the reply queue named at submission (another web process's).
   */
  readonly answerHere?: (record: ResultRecord) => boolean;
  /** Named as the record's `workerId`: who ended the job (e.g. `web:<instance>`). */
  readonly endedBy: string;
  /** The model a job that names none was meant for (records name one). */
  readonly defaultModel: string;
  readonly log: Logger;
  readonly now?: () => number;
}

/**
 * Ends jobs early, for the web tier's cancel and the deadline checks alike. Exactly one ending is
 * stored per job (a conditional write), so a job a worker finished first keeps its result, and a
 * worker that receives a job ended here finds its input deleted and answers the stored ending.
 * The ending is announced once, by whoever stored it: to the waiting request and to the webhook.
 */
export class JobEndings {
  private readonly now: () => number;

  constructor(private readonly options: JobEndingsOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Ends the job unless it has an ending. Rejects when the webhook could not be requested: the
   * upload (whose metadata names the webhook) is then kept, and ending the job again requests it.
   */
  async end(jobId: string, status: EarlyEnding): Promise<EndingOutcome> {
    const stored = await this.options.store.readResult(jobId);
    if (stored !== undefined) return this.endedBefore(jobId, parseResultRecord(stored));
    const info = await this.options.store.readInputInfo(jobId);
    if (!info) return { kind: 'unknown' };
    const { body, first } = await this.options.store.putResult(this.endingOf(jobId, info, status));
    const record = parseResultRecord(body);
    if (!first) return this.endedBefore(jobId, record, info);
    const log = this.options.log.child({ jobId });
    log.info({ status }, 'job ended before it was classified');
    await this.announce(record, info, log);
    await this.dropInput(jobId, log);
    return { kind: 'ended', record };
  }

  /**
   * An ending stored before stands. One stored early whose upload is still there was not fully
   * announced (the process stopped, or the webhook request failed, in between): its webhook is
   * requested again (the dispatcher delivers a job once) and the upload deleted.
   */
  private async endedBefore(jobId: string, record: ResultRecord, known?: JobInputInfo): Promise<EndingOutcome> {
    if (record.status === 'canceled' || record.status === 'expired') {
      const info = known ?? (await this.options.store.readInputInfo(jobId));
      if (info) {
        const log = this.options.log.child({ jobId });
        if (info.webhook) await this.options.webhooks.request(jobId, info.webhook);
        await this.dropInput(jobId, log);
      }
    }
    return { kind: 'ended-before', record };
  }

  private endingOf(jobId: string, info: JobInputInfo, status: EarlyEnding): ResultRecord {
    const completed = this.now();
    const submittedAt = info.submittedAt ?? new Date(completed).toISOString();
    return {
      version: RESULT_RECORD_VERSION,
      jobId,
      filename: info.filename,
      model: info.model ?? this.options.defaultModel,
      workerId: this.options.endedBy,
      status,
      timings: timingsWithoutWork(submittedAt, completed),
    };
  }

  /** The ending is stored and announced; an input left behind only costs storage (a worker that gets it answers the ending). */
  private async dropInput(jobId: string, log: Logger): Promise<void> {
    await this.options.store.deleteInput(jobId).catch((error: unknown) => {
      log.warn({ error: describeError(error) }, 'could not delete the input of an ended job');
    });
  }

  /** Tells the waiting request (here, or in the process named by the reply queue) and the webhook. */
  private async announce(record: ResultRecord, info: JobInputInfo, log: Logger): Promise<void> {
    const answeredHere = this.options.answerHere?.(record) ?? false;
    await Promise.all([
      !answeredHere && info.replyQueue ? this.reply(record, info.replyQueue, log) : undefined,
      info.webhook ? this.options.webhooks.request(record.jobId, info.webhook) : undefined,
    ]);
  }

  private async reply(record: ResultRecord, replyQueue: string, log: Logger): Promise<void> {
    try {
      const queueUrl = replyQueueUrl(this.options.requestQueueUrl(), replyQueue);
      await this.options.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(record) }));
    } catch (error) {
      // The waiting process is gone, or the reply did not go: the ending is in the bucket.
      log.info({ error: describeError(error) }, 'ending not replied');
    }
  }
}
