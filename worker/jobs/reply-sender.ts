import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessageBatches } from '#core/aws/message-batches.js';
import { isMissingQueueError } from '#core/aws/queues.js';

/** How a reply went: `gone` means the waiting web-tier process no longer exists. */
export type ReplyOutcome = 'sent' | 'gone' | 'none';

/** A stored result body and where to send it. */
export interface Reply {
  /** The reply queue's URL, resolved on the worker's own endpoint; undefined when nobody waits. */
  readonly queueUrl: string | undefined;
  readonly body: string;
}

/**
 * Sends stored results to the reply queues of the web-tier processes waiting for them. Callers
 * store each result before replying, so nothing is announced that is not durable.
 */
export class ReplySender {
  constructor(private readonly sqs: SQSClient) {}

  /**
   * Sends replies, batched per reply queue. Returns, per reply, its outcome or the error that kept
   * it from being sent; a vanished queue is not an error (the result is in the bucket).
   */
  async sendAll(replies: readonly Reply[]): Promise<Array<ReplyOutcome | Error>> {
    const outcomes: Array<ReplyOutcome | Error> = replies.map(() => 'none');
    await Promise.all(
      [...indicesByQueue(replies)].map(async ([queueUrl, indices]) => {
        const sent = await sendMessageBatches(
          this.sqs,
          queueUrl,
          indices.map((index) => replies[index]!.body),
        );
        sent.forEach((outcome, n) => (outcomes[indices[n]!] = isMissingQueueError(outcome) ? 'gone' : outcome));
      }),
    );
    return outcomes;
  }
}

/** The positions of the replies that go to each reply queue. */
function indicesByQueue(replies: readonly Reply[]): Map<string, number[]> {
  const byQueue = new Map<string, number[]>();
  replies.forEach((reply, index) => {
    if (!reply.queueUrl) return;
    const indices = byQueue.get(reply.queueUrl);
    if (indices) indices.push(index);
    else byQueue.set(reply.queueUrl, [index]);
  });
  return byQueue;
}
