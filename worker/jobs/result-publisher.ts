import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { isMissingQueueError } from '#core/aws/queues.js';
import { resultKeyFor } from '#core/storage/object-keys.js';

/** How a reply went: `gone` means the waiting web-tier process no longer exists. */
export type ReplyOutcome = 'sent' | 'gone' | 'none';

/** Stores result records in the output bucket and sends them to the job's reply queue. */
export class ResultPublisher {
  constructor(
    private readonly s3: S3Client,
    private readonly sqs: SQSClient,
    private readonly outputBucket: string,
  ) {}

  /** Stores first, then replies: a result is never announced before it is durable. */
  async publish(record: ResultRecord, replyTo: string | undefined): Promise<ReplyOutcome> {
    const body = JSON.stringify(record);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.outputBucket,
        Key: resultKeyFor(record.jobId),
        Body: body,
        ContentType: 'application/json',
      }),
    );
    return this.reply(body, replyTo);
  }

  /** Sends a stored record's body to a reply queue; a vanished queue is not an error. */
  async reply(body: string, replyTo: string | undefined): Promise<ReplyOutcome> {
    if (!replyTo) return 'none';
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: replyTo, MessageBody: body }));
      return 'sent';
    } catch (error) {
      if (isMissingQueueError(error)) return 'gone';
      throw error;
    }
  }
}
