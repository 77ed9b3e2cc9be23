import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GlimpseError } from '../errors.js';

/** SQS accepts at most ten entries per SendMessageBatch. */
export const SQS_BATCH_LIMIT = 10;

/** SQS refused one entry of a batch; the entry's code is kept for callers that branch on it. */
export class MessageRefusedError extends GlimpseError {
  constructor(
    readonly code: string | undefined,
    detail: string | undefined,
  ) {
    super(`SQS refused the message: ${[code, detail].filter(Boolean).join(' ') || 'no reason given'}`);
  }
}

/** What became of one message: `sent`, or the error that kept it from the queue. */
export type SendOutcome = 'sent' | Error;

/**
 * Sends message bodies to one queue, ten to a SendMessageBatch, the batches in parallel. Returns
 * one outcome per body in order: a refused entry gets a {@link MessageRefusedError}, every entry
 * of a failed call gets that call's error (callers decide what a missing queue means).
 */
export async function sendMessageBatches(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = bodies.map(() => 'sent');
  const starts = Array.from({ length: Math.ceil(bodies.length / SQS_BATCH_LIMIT) }, (_, n) => n * SQS_BATCH_LIMIT);
  await Promise.all(
    starts.map(async (start) => {
      const chunk = bodies.slice(start, start + SQS_BATCH_LIMIT);
      try {
        const { Failed } = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((body, index) => ({ Id: String(start + index), MessageBody: body })),
          }),
        );
        for (const failure of Failed ?? []) {
          outcomes[Number(failure.Id)] = new MessageRefusedError(failure.Code, failure.Message);
        }
      } catch (error) {
        chunk.forEach((_, index) => (outcomes[start + index] = error as Error));
      }
    }),
  );
  return outcomes;
}
