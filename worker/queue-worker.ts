import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import type { JobProcessor } from './jobs/job-processor.js';

export interface QueueWorkerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly processor: JobProcessor;
  readonly receiveBatchSize: number;
  readonly pollWaitSeconds: number;
  /** Visibility the heartbeat keeps renewing while a batch is being worked on. */
  readonly visibilityTimeoutSeconds: number;
  /** 0 disables the idle exit. */
  readonly idleSeconds: number;
  readonly stopGraceSeconds: number;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  readonly now?: () => number;
}

export type StopReason = 'idle' | 'signal' | 'requested';

/**
 * The worker's receive loop, on sqs-consumer: long polls, renews visibility while a batch runs
 * (heartbeat), deletes only acknowledged jobs, hands transient failures back at once with a
 * growing delay, stops gracefully, and stops by itself after `idleSeconds` without work.
 */
export class QueueWorker {
  private readonly consumer: Consumer;
  private readonly now: () => number;
  private lastActivity: number;
  private busy = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<StopReason> | undefined;
  private resolveDone!: (reason: StopReason) => void;
  /** Resolves when the loop has stopped, with why. */
  readonly done: Promise<StopReason>;
  /** Jobs acknowledged since start. */
  processedJobs = 0;

  constructor(private readonly options: QueueWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const heartbeat = Math.max(1, Math.floor(options.visibilityTimeoutSeconds / 3));
    this.consumer = Consumer.create({
      queueUrl: options.queueUrl,
      sqs: options.sqs,
      batchSize: options.receiveBatchSize,
      waitTimeSeconds: options.pollWaitSeconds,
      visibilityTimeout: options.visibilityTimeoutSeconds,
      heartbeatInterval: heartbeat,
      // The whole batch goes back at once if the handler itself throws.
      terminateVisibilityTimeout: true,
      pollingCompleteWaitTimeMs: options.stopGraceSeconds * 1000,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      handleMessageBatch: (messages) => this.handleBatch(messages),
      strictReturn: true,
    });
    this.consumer.on('error', (error) => {
      if (!this.stopping) options.log('queue error', { error: error.message });
    });
    this.consumer.on('processing_error', (error) => options.log('processing error', { error: error.message }));
  }

  start(): void {
    this.consumer.start();
    if (this.options.idleSeconds > 0) {
      this.idleTimer = setInterval(() => this.checkIdle(), 1000);
      this.idleTimer.unref();
    }
  }

  /** Stops receiving, lets an in-flight batch finish, resolves when stopped. */
  stop(reason: StopReason = 'requested'): Promise<StopReason> {
    if (this.stopping) return this.stopping;
    clearInterval(this.idleTimer);
    this.stopping = new Promise<StopReason>((resolve) => {
      this.consumer.once('stopped', () => resolve(reason));
      // With no batch in flight the pending long poll may be aborted; otherwise wait for the batch.
      this.consumer.stop({ abort: !this.busy });
    }).then((stopReason) => {
      this.resolveDone(stopReason);
      return stopReason;
    });
    return this.stopping;
  }

  private checkIdle(): void {
    if (this.busy) return;
    const idleMs = this.now() - this.lastActivity;
    if (idleMs >= this.options.idleSeconds * 1000) {
      this.options.log('idle; stopping', { idleSeconds: Math.round(idleMs / 1000) });
      void this.stop('idle');
    }
  }

  private async handleBatch(messages: Message[]): Promise<Message[]> {
    this.busy = true;
    try {
      const outcome = await this.options.processor.process(messages);
      if (outcome.retry.length > 0) await this.release(outcome.retry);
      this.processedJobs += outcome.acknowledged.length;
      return outcome.acknowledged;
    } finally {
      this.busy = false;
      this.lastActivity = this.now();
    }
  }

  /** Makes failed jobs visible again after a short back-off that grows with each receive. */
  private async release(messages: Message[]): Promise<void> {
    await this.options.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: retryDelaySeconds(Number(message.Attributes?.ApproximateReceiveCount ?? 1)),
        })),
      }),
    );
  }
}

/** Back-off before a failed job is offered again: 0 s on the first failure, then 2, 4, 8 … up to 60 s. */
export function retryDelaySeconds(receiveCount: number): number {
  if (!Number.isFinite(receiveCount) || receiveCount <= 1) return 0;
  return Math.min(60, 2 ** (receiveCount - 1));
}
