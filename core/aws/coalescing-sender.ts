import type { SQSClient } from '@aws-sdk/client-sqs';
import { describeError, GlimpseError } from '../errors.js';
import { sendMessageBatches, SQS_BATCH_LIMIT, type SendOutcome } from './message-batches.js';

interface QueuedMessage {
  readonly body: string;
  readonly settle: (outcome: SendOutcome) => void;
}

/**
 * Coalesces the messages that many concurrent callers send to one queue into SendMessageBatch
 * calls, without a fixed delay: a message sent while no batch is in flight leaves at the end of the
 * current turn of the event loop (with whatever else was sent in that turn); messages sent while a
 * batch is in flight wait for it and leave together, at once when ten have gathered. One caller
 * alone pays no added latency; under load each call carries up to ten messages.
 */
export class CoalescingSender {
  private queued: QueuedMessage[] = [];
  private batchesInFlight = 0;
  private flushScheduled = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: () => string,
  ) {}

  /** Sends one message body; resolves with `sent` or the error that kept it from the queue. */
  send(body: string): Promise<SendOutcome> {
    return new Promise((settle) => {
      this.queued.push({ body, settle });
      if (this.queued.length >= SQS_BATCH_LIMIT) this.flush();
      else if (this.batchesInFlight === 0) this.scheduleFlush();
    });
  }

  /** Sends several bodies; one outcome per body, in order. */
  sendAll(bodies: readonly string[]): Promise<SendOutcome[]> {
    return Promise.all(bodies.map((body) => this.send(body)));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    const messages = this.queued.splice(0, SQS_BATCH_LIMIT);
    this.batchesInFlight++;
    void this.sendBatch(messages.map((message) => message.body)).then((outcomes) =>
      this.settleBatch(messages, outcomes),
    );
    if (this.queued.length >= SQS_BATCH_LIMIT) this.flush();
  }

  /** One SendMessageBatch; never rejects: a failure is every message's outcome. */
  private async sendBatch(bodies: readonly string[]): Promise<SendOutcome[]> {
    try {
      return await sendMessageBatches(this.sqs, this.queueUrl(), bodies);
    } catch (error) {
      const failure = error instanceof Error ? error : new GlimpseError(describeError(error));
      return bodies.map(() => failure);
    }
  }

  private settleBatch(messages: readonly QueuedMessage[], outcomes: readonly SendOutcome[]): void {
    this.batchesInFlight--;
    messages.forEach((message, index) => message.settle(outcomes[index]!));
    if (this.queued.length > 0) this.flush();
  }
}
