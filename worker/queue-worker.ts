import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { setJobVisibility } from '#core/aws/job-visibility.js';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import { PollCancelledError } from './errors.js';
import type { BatchOutcome, JobProcessor } from './jobs/job-processor.js';
import { retryDelaySeconds } from './retry-delay.js';

export interface QueueWorkerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly processor: Pick<JobProcessor, 'process'>;
  readonly receiveBatchSize: number;
  readonly pollWaitSeconds: number;
  /**
   * Receive loops in this process. Two or more overlap one batch's storage round trips with
   * another's decoding and inference; they share one onnxruntime session.
   */
  readonly concurrency: number;
  /** Visibility the heartbeat keeps renewing while a batch is being worked on. */
  readonly visibilityTimeoutSeconds: number;
  /** 0 disables the idle exit. */
  readonly idleSeconds: number;
  readonly stopGraceSeconds: number;
  readonly log: Logger;
  /** Called after each batch (metrics, heartbeats). */
  readonly onBatch?: (outcome: BatchOutcome) => void;
  /**
   * Told the receipt handles of the jobs a batch holds when it starts, and again when it ends (the
   * local fleet, which releases a dead worker's jobs at once instead of after their lease).
   */
  readonly onJobsHeld?: (receipts: readonly string[]) => void;
  readonly onJobsReleased?: (receipts: readonly string[]) => void;
  readonly now?: () => number;
}

/**
 * Why the loops stopped: idle, a signal (SIGTERM: systemd at a scale-in or shutdown, or Ctrl-C), an
 * interruption notice (Spot), or a caller's request.
 */
export type StopReason = 'idle' | 'signal' | 'interrupted' | 'requested';

/** How long before its idle time is up a worker starts stopping (final heartbeat, freeing resources, exit). */
const STOP_LEAD_MS = 1_000;

/**
 * The worker's receive loops, on sqs-consumer: each long polls, renews visibility while its batch
 * runs (heartbeat), deletes only acknowledged jobs, and hands transient failures back with a
 * growing delay. The worker stops gracefully, and by itself when idle: it is gone (stopped and
 * exited) within `idleSeconds` of its last work, so it starts stopping a moment before.
 */
export class QueueWorker {
  private readonly consumers: Consumer[];
  private readonly busyConsumers = new Set<Consumer>();
  private readonly batches = new Set<Promise<unknown>>();
  /** The jobs the running batches hold. */
  private readonly heldJobs = new Set<Message>();
  private readonly now: () => number;
  private lastActivity: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<StopReason> | undefined;
  private signalStop!: () => void;
  private readonly stopRequested = new Promise<void>((resolve) => (this.signalStop = resolve));
  private resolveDone!: (reason: StopReason) => void;
  /** Resolves when every loop has stopped, with why. */
  readonly done: Promise<StopReason>;
  /** Jobs acknowledged since start. */
  processedJobs = 0;
  private busySince: number | undefined;
  private busyTotalMs = 0;

  /** Wall-clock milliseconds during which at least one batch was being worked on. */
  get busyMs(): number {
    return this.busyTotalMs + (this.busySince === undefined ? 0 : this.now() - this.busySince);
  }

  constructor(private readonly options: QueueWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.consumers = Array.from({ length: Math.max(1, options.concurrency) }, () => this.createConsumer());
  }

  private createConsumer(): Consumer {
    const { options } = this;
    const consumer = Consumer.create({
      queueUrl: options.queueUrl,
      sqs: options.sqs,
      batchSize: options.receiveBatchSize,
      waitTimeSeconds: this.nextPoll().waitSeconds,
      visibilityTimeout: options.visibilityTimeoutSeconds,
      heartbeatInterval: Math.max(1, Math.floor(options.visibilityTimeoutSeconds / 3)),
      // The whole batch goes back at once if the handler itself throws.
      terminateVisibilityTimeout: true,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      handleMessageBatch: (messages) => this.handleBatch(consumer, messages),
      preReceiveMessageCallback: () => this.holdPollNearIdleDeadline(),
      strictReturn: true,
    });
    consumer.on('error', (error) => {
      if (!this.stopping) options.log.warn({ error: describeError(error) }, 'queue error');
    });
    consumer.on('processing_error', (error) => options.log.error({ error: describeError(error) }, 'processing error'));
    // Near the idle deadline, poll only until it, and schedule no poll past it: the idle stop then
    // never has to abort a long poll (an aborted poll can still be handed jobs, which then stay
    // invisible for a visibility timeout) and the worker exits on time.
    const planNextPoll = () => consumer.updateOption('waitTimeSeconds', this.nextPoll().waitSeconds);
    consumer.on('empty', planNextPoll);
    consumer.on('response_processed', planNextPoll);
    return consumer;
  }

  start(): void {
    for (const consumer of this.consumers) consumer.start();
    if (this.options.idleSeconds > 0) {
      // Referenced: while a receive is held back near the deadline, this timer keeps the worker alive.
      this.idleTimer = setInterval(() => this.checkIdle(), 200);
    }
  }

  /**
   * Stops receiving and resolves once every loop has stopped and every batch it holds is finished
   * (stored, replied, deleted). On a signal the loops that are only waiting in a long poll abort it,
   * for a prompt exit (jobs an aborted poll was handed reappear after their lease); an idle stop
   * lets its short final polls run out instead.
   */
  stop(reason: StopReason = 'requested'): Promise<StopReason> {
    return this.stopBy(reason, Infinity);
  }

  /**
   * Drains before the machine goes (a Spot interruption notice, a SIGTERM at scale-in): stops
   * receiving at once, lets the running batches finish until `deadline` (epoch ms), then releases
   * the jobs still held (visible to the other workers at once) and resolves.
   */
  drain(reason: 'signal' | 'interrupted', deadline: number): Promise<StopReason> {
    return this.stopBy(reason, deadline);
  }

  private stopBy(reason: StopReason, batchDeadline: number): Promise<StopReason> {
    if (this.stopping) return this.stopping;
    clearInterval(this.idleTimer);
    this.stopping = (async () => {
      this.signalStop();
      // A signal wants a prompt exit: polls that are only waiting are aborted (what the emulator or
      // SQS handed an aborted poll returns after its lease). A drain before an interruption has the
      // time to let them end, so that nothing it was handed stays hidden after it is gone.
      const abortIdlePolls = reason === 'signal';
      for (const consumer of this.consumers) {
        consumer.stop({ abort: abortIdlePolls && !this.busyConsumers.has(consumer) });
      }
      // A final poll still running (and the batch it may bring) finishes; checked every 50 ms.
      const pollDeadline = Math.min(batchDeadline, this.now() + this.options.stopGraceSeconds * 1000);
      while (this.consumers.some((consumer) => consumer.status.isPolling) && this.now() < pollDeadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await this.finishBatchesBy(batchDeadline);
      this.resolveDone(reason);
      return reason;
    })();
    return this.stopping;
  }

  /** Waits for the running batches until the deadline; what they still hold then is released. */
  private async finishBatchesBy(deadline: number): Promise<void> {
    const finished = Promise.allSettled([...this.batches]);
    if (deadline === Infinity) return void (await finished);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), Math.max(0, deadline - this.now()));
    });
    const late = await Promise.race([finished.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late && this.heldJobs.size > 0) await this.release([...this.heldJobs]);
  }

  /** Makes jobs visible again at once; a failure leaves them to reappear when their lease ends. */
  private async release(messages: readonly Message[]): Promise<void> {
    this.options.log.warn({ jobs: messages.length }, 'releasing jobs this worker cannot finish in time');
    await this.changeVisibility(messages, () => 0);
  }

  /** The next long poll's wait, so that it ends before the idle deadline. */
  private nextPoll(): { waitSeconds: number } {
    const { idleSeconds, pollWaitSeconds } = this.options;
    if (idleSeconds <= 0) return { waitSeconds: pollWaitSeconds };
    const remainingMs = this.idleDeadline() - this.now();
    return { waitSeconds: Math.min(pollWaitSeconds, Math.max(1, Math.floor(remainingMs / 1000))) };
  }

  /**
   * Runs before each receive. With less than a poll's minimum second left before the idle
   * deadline, no poll starts: it waits for the idle stop, which then cancels the receive.
   */
  private async holdPollNearIdleDeadline(): Promise<void> {
    if (this.options.idleSeconds <= 0 || this.busyConsumers.size > 0) return;
    const remainingMs = this.idleDeadline() - this.now();
    if (remainingMs >= 1000) return;
    // The timer must not keep a stopped worker's process alive.
    await Promise.race([
      this.stopRequested,
      new Promise((resolve) => setTimeout(resolve, remainingMs + 5_000).unref()),
    ]);
    if (this.stopping) throw new PollCancelledError('worker is stopping; receive cancelled');
  }

  /** When an idle worker starts stopping: early enough to be gone `idleSeconds` after its last work. */
  private idleDeadline(): number {
    const idleMs = this.options.idleSeconds * 1000;
    return this.lastActivity + idleMs - Math.min(STOP_LEAD_MS, idleMs / 10);
  }

  private checkIdle(): void {
    if (this.busyConsumers.size > 0 || this.now() < this.idleDeadline()) return;
    this.options.log.info({ idleSeconds: Math.round((this.now() - this.lastActivity) / 1000) }, 'idle; stopping');
    void this.stop('idle');
  }

  private handleBatch(consumer: Consumer, messages: Message[]): Promise<Message[]> {
    if (this.busyConsumers.size === 0) this.busySince = this.now();
    this.busyConsumers.add(consumer);
    this.hold(messages);
    const batch = (async () => {
      try {
        const outcome = await this.options.processor.process(messages);
        if (outcome.retry.length > 0) await this.handBackForRetry(outcome.retry);
        this.processedJobs += outcome.acknowledged.length;
        this.options.onBatch?.(outcome);
        return outcome.acknowledged;
      } finally {
        this.letGo(messages);
        this.busyConsumers.delete(consumer);
        this.lastActivity = this.now();
        if (this.busyConsumers.size === 0 && this.busySince !== undefined) {
          this.busyTotalMs += this.lastActivity - this.busySince;
          this.busySince = undefined;
        }
      }
    })();
    this.batches.add(batch);
    void batch.finally(() => this.batches.delete(batch)).catch(() => undefined);
    return batch;
  }

  private hold(messages: readonly Message[]): void {
    for (const message of messages) this.heldJobs.add(message);
    this.options.onJobsHeld?.(receiptsOf(messages));
  }

  private letGo(messages: readonly Message[]): void {
    for (const message of messages) this.heldJobs.delete(message);
    this.options.onJobsReleased?.(receiptsOf(messages));
  }

  /** Makes failed jobs visible again after a short back-off that grows with each receive. */
  private async handBackForRetry(messages: Message[]): Promise<void> {
    await this.changeVisibility(messages, (message) =>
      retryDelaySeconds(Number(message.Attributes?.ApproximateReceiveCount ?? 1)),
    );
  }

  /** Sets the visibility of jobs; a job it fails for reappears when its lease ends. */
  private async changeVisibility(messages: readonly Message[], seconds: (message: Message) => number): Promise<void> {
    const changes = messages
      .filter((message) => message.ReceiptHandle !== undefined)
      .map((message) => ({ receipt: message.ReceiptHandle!, seconds: seconds(message) }));
    const failed = await setJobVisibility(this.options.sqs, this.options.queueUrl, changes);
    if (failed.length > 0) this.options.log.warn({ failed }, 'could not change the visibility of jobs');
  }
}

function receiptsOf(messages: readonly Message[]): string[] {
  return messages.map((message) => message.ReceiptHandle).filter((receipt) => receipt !== undefined);
}
