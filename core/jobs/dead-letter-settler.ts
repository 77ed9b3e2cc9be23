import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { replyQueueUrl } from '../aws/response-queues.js';
import { MalformedJobError, parseJobMessage, type JobMessage } from '../contracts/job-message.js';
import {
  parseResultRecord,
  RESULT_RECORD_VERSION,
  timingsWithoutWork,
  type ResultRecord,
} from '../contracts/result-record.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { JobStore } from '../storage/job-store.js';
import type { WebhookRequests } from '../webhooks/webhook-requests.js';

/** Message attribute counting a job's trips from the dead-letter queue back to the request queue. */
export const REDRIVES_ATTRIBUTE = 'glimpse-redrives';
/**
 * Message attribute that says why a message was dead-lettered by a worker rather than by SQS: it is
 * not a job. The settler leaves such messages for a person.
 */
export const DEAD_LETTER_REASON_ATTRIBUTE = 'glimpse-dead-letter-reason';

/** What the settler is named as in the results it writes (a result record's `workerId`). */
export const SETTLER_ID = 'dead-letter-settler';

/** How long a message the settler leaves for a person (not a job) stays out of its way. */
const LEAVE_FOR_OPERATOR_SECONDS = 12 * 3600;
/** How long a job being settled stays hidden; if settling fails, it is tried again after it. */
const SETTLING_LEASE_SECONDS = 60;
/** Most receives of ten per `settle`, so one call stays short whatever the queue holds. */
const MAX_RECEIVES_PER_SETTLE = 5;

export interface DeadLetterSettlerOptions {
  readonly sqs: SQSClient;
  readonly store: Pick<JobStore, 'readResult' | 'putResult'>;
  readonly requestQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly responseQueuePrefix: string;
  /** Trips back to the request queue before `worker_lost` (QueuePolicy.deadLetterRedrives). */
  readonly redrives: number;
  /** The model a job that names none was meant for (the result record names one); default `unknown`. */
  readonly defaultModel?: string;
  /** Asks for the webhook delivery of a job the settler answers. */
  readonly webhooks: Pick<WebhookRequests, 'request'>;
  readonly log: Logger;
  readonly now?: () => number;
}

/** What one `settle` did, by job id; `left` counts messages that are not jobs, left for a person. */
export interface SettleReport {
  readonly redriven: string[];
  readonly lost: string[];
  readonly alreadyDone: string[];
  left: number;
}

/**
 * Makes sure no job ends in the dead-letter queue unanswered. SQS moves a job there after
 * `maxReceiveCount` receives without a delete: every worker that took it stopped before finishing
 * (a job that fails by itself is answered `failed` by its last try instead). Each such job goes
 * back to the request queue up to `redrives` times, with a fresh receive count; then it is answered
 * `failed` (`worker_lost`), stored and replied like any result, so a waiting client and
 * `GET /v1/classifications/:id` both learn it. A job with a stored result is only deleted.
 */
export class DeadLetterSettler {
  private readonly now: () => number;

  constructor(private readonly options: DeadLetterSettlerOptions) {
    this.now = options.now ?? Date.now;
  }

  async settle(): Promise<SettleReport> {
    const report: SettleReport = { redriven: [], lost: [], alreadyDone: [], left: 0 };
    for (let receive = 0; receive < MAX_RECEIVES_PER_SETTLE; receive++) {
      const { Messages = [] } = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.deadLetterQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: SETTLING_LEASE_SECONDS,
          MessageAttributeNames: [REDRIVES_ATTRIBUTE, DEAD_LETTER_REASON_ATTRIBUTE],
        }),
      );
      for (const message of Messages) await this.settleOne(message, report);
      if (Messages.length < 10) break;
    }
    const { redriven, lost } = report;
    if (redriven.length > 0 || lost.length > 0) this.options.log.info({ redriven, lost }, 'dead-lettered jobs settled');
    return report;
  }

  private async settleOne(message: Message, report: SettleReport): Promise<void> {
    const job = this.jobIn(message);
    if (!job) {
      report.left++;
      return this.setVisibility(message, LEAVE_FOR_OPERATOR_SECONDS);
    }
    try {
      const stored = await this.options.store.readResult(job.jobId);
      if (stored !== undefined) await this.settleAnswered(job, stored, report);
      else if (redrivesOf(message) < this.options.redrives) await this.redrive(job, message, report);
      else await this.answerLost(job, report);
      await this.delete(message);
    } catch (error) {
      // Left in the dead-letter queue: tried again once its settling lease runs out.
      this.options.log.warn({ jobId: job.jobId, error: describeError(error) }, 'could not settle a dead-lettered job');
    }
  }

  /** The job in the message; undefined for what a worker dead-lettered as not a job, or is none. */
  private jobIn(message: Message): JobMessage | undefined {
    if (message.MessageAttributes?.[DEAD_LETTER_REASON_ATTRIBUTE]) return undefined;
    try {
      return parseJobMessage(message.Body, { responseQueuePrefix: this.options.responseQueuePrefix });
    } catch (error) {
      if (error instanceof MalformedJobError) return undefined;
      throw error;
    }
  }

  private async redrive(job: JobMessage, message: Message, report: SettleReport): Promise<void> {
    const redrives = redrivesOf(message) + 1;
    await this.options.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.requestQueueUrl,
        MessageBody: message.Body,
        MessageAttributes: { [REDRIVES_ATTRIBUTE]: { DataType: 'Number', StringValue: String(redrives) } },
      }),
    );
    this.options.log.warn({ jobId: job.jobId, redrives }, 'dead-lettered job sent back to the request queue');
    report.redriven.push(job.jobId);
  }

  /**
   * A job answered already. When the settler answered it itself, an earlier settling may have
   * stopped before its webhook was requested: it is requested again (the same webhook-id).
   */
  private async settleAnswered(job: JobMessage, stored: string, report: SettleReport): Promise<void> {
    if (job.webhook && storedBySettler(stored)) await this.options.webhooks.request(job.jobId, job.webhook);
    report.alreadyDone.push(job.jobId);
  }

  /** Stores the `worker_lost` result (or finds the one stored meanwhile), requests its webhook, and replies with it. */
  private async answerLost(job: JobMessage, report: SettleReport): Promise<void> {
    const { body, first } = await this.options.store.putResult(this.lostResult(job));
    // A failed request leaves the job in the dead-letter queue: the next settling requests it again.
    if (first && job.webhook) await this.options.webhooks.request(job.jobId, job.webhook);
    if (job.replyQueue) {
      const queueUrl = replyQueueUrl(this.options.requestQueueUrl, job.replyQueue);
      await this.options.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })).catch((error) => {
        // The waiting web process is gone, or the reply did not go: the result is in the bucket.
        this.options.log.info({ jobId: job.jobId, error: describeError(error) }, 'worker_lost reply not sent');
      });
    }
    this.options.log.warn({ jobId: job.jobId }, 'dead-lettered job answered failed: worker_lost');
    report.lost.push(job.jobId);
  }

  private lostResult(job: JobMessage): ResultRecord {
    const message =
      `every worker that took this job stopped before finishing it ` +
      `(${this.options.redrives + 1} rounds of deliveries); it was not classified`;
    return {
      version: RESULT_RECORD_VERSION,
      jobId: job.jobId,
      filename: job.filename,
      model: job.model ?? this.options.defaultModel ?? 'unknown',
      workerId: SETTLER_ID,
      status: 'failed',
      failure: { code: 'worker_lost', message },
      timings: timingsWithoutWork(job.submittedAt, this.now()),
    };
  }

  private async setVisibility(message: Message, seconds: number): Promise<void> {
    const { sqs, deadLetterQueueUrl } = this.options;
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: deadLetterQueueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }

  private async delete(message: Message): Promise<void> {
    const { sqs, deadLetterQueueUrl } = this.options;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle }));
  }
}

function storedBySettler(body: string): boolean {
  try {
    return parseResultRecord(body).workerId === SETTLER_ID;
  } catch {
    return false;
  }
}

function redrivesOf(message: Message): number {
  const value = Number(message.MessageAttributes?.[REDRIVES_ATTRIBUTE]?.StringValue ?? 0);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}
