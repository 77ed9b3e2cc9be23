import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describeError } from '../errors.js';
import { SQS_BATCH_LIMIT } from './message-batches.js';

/** A received job and how many seconds from now it is to become visible again (0: at once). */
export interface VisibilityChange {
  readonly receipt: string;
  readonly seconds: number;
}

/**
 * Sets the visibility of received jobs, ten to a ChangeMessageVisibilityBatch. Never throws:
 * returns why each change that did not happen failed (such a job reappears when its lease ends, and
 * a job deleted meanwhile needs no change).
 */
export async function setJobVisibility(
  sqs: SQSClient,
  queueUrl: string,
  changes: readonly VisibilityChange[],
): Promise<string[]> {
  const failures: string[] = [];
  for (let start = 0; start < changes.length; start += SQS_BATCH_LIMIT) {
    const chunk = changes.slice(start, start + SQS_BATCH_LIMIT);
    try {
      const { Failed } = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((change, index) => ({
            Id: String(index),
            ReceiptHandle: change.receipt,
            VisibilityTimeout: change.seconds,
          })),
        }),
      );
      failures.push(...(Failed ?? []).map((failure) => failure.Code ?? 'unknown'));
    } catch (error) {
      failures.push(...chunk.map(() => describeError(error)));
    }
  }
  return failures;
}
