import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { replyQueueUrl } from '../aws/response-queues.js';
import { parseResultRecord, RESULT_RECORD_VERSION, type ResultRecord } from '../contracts/result-record.js';
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

  async end(jobId: string, status: EarlyEnding): Promise<EndingOutcome> {
    const stored = await this.options.store.readResult(jobId);
    if (stored !== undefined) return { kind: 'ended-before', record: parseResultRecord(stored) };
    const info = await this.options.store.readInputInfo(jobId);
    if (!info) return { kind: 'unknown' };
    const { body, first } = await this.options.store.putResult(this.endingOf(jobId, info, status));
    const record = parseResultRecord(body);
    if (!first) return { kind: 'ended-before', record };
    const log = this.options.log.child({ jobId });
    log.info({ status }, 'job ended before it was classified');
    await Promise.all([this.dropInput(jobId, log), this.announce(record, info, log)]);
    return { kind: 'ended', record };
  }

  private endingOf(jobId: string, info: JobInputInfo, status: EarlyEnding): ResultRecord {
    const completed = this.now();
    const submittedAt = info.submittedAt ?? new Date(completed).toISOString();
    const waited = Math.max(0, completed - Date.parse(submittedAt));
    return {
      version: RESULT_RECORD_VERSION,
      jobId,
      filename: info.filename,
      model: info.model ?? this.options.defaultModel,
      workerId: this.options.endedBy,
      status,
      timings: {
        submittedAt,
        completedAt: new Date(completed).toISOString(),
        queueWaitMs: waited,
        downloadMs: 0,
        preprocessMs: 0,
        inferenceMs: 0,
        batchSize: 0,
        totalMs: waited,
      },
    };
  }

  /** The ending is stored; an input left behind only costs storage (and a worker that gets it answers the ending). */
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
      info.webhook
        ? this.options.webhooks.request(record.jobId, info.webhook).catch((error: unknown) => {
            log.error({ error: describeError(error) }, 'could not request the webhook of an ended job');
          })
        : undefined,
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
