import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { isMissingQueueError } from '#core/aws/queues.js';
import { resultKeyFor } from '#core/storage/object-keys.js';

/** How a reply went: `gone` means the waiting web-tier process no longer exists. */
export type ReplyOutcome = 'sent' | 'gone' | 'none';

/** A stored result body and where to send it. */
export interface Reply {
  readonly replyTo: string | undefined;
  readonly body: string;
}

const SQS_BATCH_LIMIT = 10;

/**
 * Stores result records in the output bucket and sends them to the jobs' reply queues. Results
 * are stored before any reply, so nothing is announced that is not durable.
 */
export class ResultPublisher {
  constructor(
    private readonly s3: S3Client,
    private readonly sqs: SQSClient,
    private readonly outputBucket: string,
  ) {}

  /** Stores a record under its job id; returns the stored body. */
  async store(record: ResultRecord): Promise<string> {
    const body = JSON.stringify(record);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.outputBucket,
        Key: resultKeyFor(record.jobId),
        Body: body,
        ContentType: 'application/json',
      }),
    );
    return body;
  }

  /**
   * Sends replies, ten at a time per reply queue. Returns, per reply, its outcome or the error that
   * kept it from being sent; a vanished queue is not an error (the result is in the bucket).
   */
  async replyAll(replies: readonly Reply[]): Promise<Array<ReplyOutcome | Error>> {
    const outcomes: Array<ReplyOutcome | Error> = replies.map((reply) =>
      reply.replyTo ? new Error('not sent') : 'none',
    );
    const byQueue = new Map<string, number[]>();
    replies.forEach((reply, index) => {
      if (reply.replyTo) byQueue.set(reply.replyTo, [...(byQueue.get(reply.replyTo) ?? []), index]);
    });
    const chunks = [...byQueue.entries()].flatMap(([queueUrl, indices]) =>
      Array.from({ length: Math.ceil(indices.length / SQS_BATCH_LIMIT) }, (_, n) => ({
        queueUrl,
        indices: indices.slice(n * SQS_BATCH_LIMIT, (n + 1) * SQS_BATCH_LIMIT),
      })),
    );
    await Promise.all(
      chunks.map(async ({ queueUrl, indices }) => {
        try {
          const { Failed } = await this.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: indices.map((index) => ({ Id: String(index), MessageBody: replies[index]!.body })),
            }),
          );
          indices.forEach((index) => (outcomes[index] = 'sent'));
          for (const failure of Failed ?? []) {
            outcomes[Number(failure.Id)] = new Error(`reply refused: ${failure.Code} ${failure.Message ?? ''}`.trim());
          }
        } catch (error) {
          const outcome = isMissingQueueError(error) ? 'gone' : (error as Error);
          indices.forEach((index) => (outcomes[index] = outcome));
        }
      }),
    );
    return outcomes;
  }
}
