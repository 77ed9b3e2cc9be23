import { jest } from '@jest/globals';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type ReceiveMessageCommandInput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { silentLogger } from '#core/logging/logger.js';
import type { BatchOutcome } from '#worker/jobs/job-processor.js';
import { QueueWorker, type QueueWorkerOptions, type StopReason } from '#worker/queue-worker.js';

const QUEUE_URL = 'http://sqs.us-east-1.localhost:4566/000000000000/glimpse-requests';

/** One long poll the worker made: when, for how long, and how it ended. */
interface Poll {
  readonly startedAt: number;
  readonly waitSeconds: number;
  endedAt?: number;
  aborted?: boolean;
}

/**
 * A request queue behind a fake SQS client, driven by the (fake) clock: a receive returns the
 * visible jobs at once, else waits out its long poll (a job sent meanwhile ends the wait), and
 * honours the abort signal as the SDK does. Deletes and visibility changes are recorded.
 */
class FakeRequestQueue {
  readonly polls: Poll[] = [];
  readonly deleted: string[] = [];
  readonly handedBack: Array<{ id: string; visibilityTimeout: number }> = [];
  private readonly visible: Message[] = [];
  private readonly waiting = new Set<() => void>();
  private sequence = 0;
  readonly client = {
    send: (command: unknown, options?: { abortSignal?: AbortSignal }) => this.answer(command, options?.abortSignal),
  } as unknown as SQSClient;

  /** Makes a job visible, as the web tier's send does; `receiveCount` as SQS will report it. */
  send(receiveCount = 1): string {
    const id = `job-${++this.sequence}`;
    this.visible.push({
      MessageId: id,
      ReceiptHandle: `receipt-${id}`,
      Body: id,
      Attributes: { ApproximateReceiveCount: String(receiveCount) },
    });
    for (const wakeUp of this.waiting) wakeUp();
    return id;
  }

  private async answer(command: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    if (command instanceof ReceiveMessageCommand) return this.receive(command.input, signal);
    if (command instanceof DeleteMessageBatchCommand) {
      const entries = command.input.Entries ?? [];
      this.deleted.push(...entries.map((entry) => entry.Id!));
      return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
    }
    if (command instanceof ChangeMessageVisibilityBatchCommand) {
      const entries = command.input.Entries ?? [];
      // The worker's heartbeat renews visibility with message ids; hand-backs use their own ids.
      if (entries.some((entry) => entry.Id?.startsWith('job-'))) return { Successful: [], Failed: [] };
      this.handedBack.push(
        ...entries.map((entry) => ({
          id: entry.ReceiptHandle!.replace('receipt-', ''),
          visibilityTimeout: entry.VisibilityTimeout!,
        })),
      );
      return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
    }
    throw new Error(`the fake queue does not answer ${(command as object).constructor.name}`);
  }

  private receive(input: ReceiveMessageCommandInput, signal: AbortSignal | undefined): Promise<unknown> {
    const poll: Poll = { startedAt: Date.now(), waitSeconds: input.WaitTimeSeconds ?? 0 };
    this.polls.push(poll);
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.waiting.delete(deliver);
        signal?.removeEventListener('abort', abort);
        poll.endedAt = Date.now();
      };
      const deliver = () => {
        settle();
        resolve({ Messages: this.visible.splice(0, input.MaxNumberOfMessages ?? 1) });
      };
      const abort = () => {
        settle();
        poll.aborted = true;
        reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
      };
      const timer = setTimeout(deliver, poll.waitSeconds * 1000);
      signal?.addEventListener('abort', abort);
      if (this.visible.length > 0) deliver();
      else this.waiting.add(deliver);
    });
  }
}

/** A job processor that acknowledges every job, except those it is told to retry; it can be held. */
class FakeProcessor {
  readonly batches: string[][] = [];
  readonly retryIds = new Set<string>();
  private held: Promise<void> | undefined;
  private letGo: (() => void) | undefined;

  /** Batches wait, as if classifying, until {@link finishHeldBatches}. */
  holdBatches(): void {
    this.held = new Promise((resolve) => (this.letGo = resolve));
  }

  finishHeldBatches(): void {
    this.letGo?.();
    this.held = undefined;
  }

  async process(messages: readonly Message[]): Promise<BatchOutcome> {
    this.batches.push(messages.map((message) => message.MessageId!));
    await this.held;
    const retry = messages.filter((message) => this.retryIds.has(message.MessageId!));
    return { acknowledged: messages.filter((message) => !retry.includes(message)), retry, published: [] };
  }
}

/** When `done` resolved (fake clock), and with what; undefined while it has not. */
function watchDone(worker: QueueWorker): () => { reason: StopReason; at: number } | undefined {
  let settled: { reason: StopReason; at: number } | undefined;
  void worker.done.then((reason) => (settled = { reason, at: Date.now() }));
  return () => settled;
}

const START = Date.parse('2026-11-22T12:00:00.000Z');

describe('QueueWorker', () => {
  let worker: QueueWorker | undefined;

  /** Starts a worker on a request queue (empty unless given) with the options under test. */
  function startWorker(
    options: Partial<QueueWorkerOptions>,
    queue = new FakeRequestQueue(),
    processor = new FakeProcessor(),
  ) {
    worker = new QueueWorker({
      sqs: queue.client,
      queueUrl: QUEUE_URL,
      processor,
      receiveBatchSize: 10,
      pollWaitSeconds: 20,
      concurrency: 2,
      visibilityTimeoutSeconds: 30,
      idleSeconds: 10,
      stopGraceSeconds: 30,
      log: silentLogger(),
      ...options,
    });
    const done = watchDone(worker);
    worker.start();
    return { worker, queue, processor, done };
  }

  beforeEach(() => jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] }));
  afterEach(async () => {
    const stopped = worker?.stop('signal');
    await jest.advanceTimersByTimeAsync(60_000);
    await stopped;
    worker = undefined;
    jest.useRealTimers();
  });

  describe('idle exit', () => {
    it('stops by itself a moment before its idle time is up, with no poll running past it', async () => {
      // Prepare
      const { queue, done } = startWorker({ idleSeconds: 10, pollWaitSeconds: 20 });
      // Act
      await jest.advanceTimersByTimeAsync(8_500);
      const beforeDeadline = done();
      await jest.advanceTimersByTimeAsync(1_500);
      // Assess
      expect(beforeDeadline).toBeUndefined();
      expect(done()?.reason).toBe('idle');
      expect(done()!.at - START).toBeGreaterThanOrEqual(9_000);
      expect(done()!.at - START).toBeLessThan(10_000);
      expect(queue.polls.length).toBeGreaterThanOrEqual(2);
      for (const poll of queue.polls) {
        expect(poll.aborted).toBeUndefined();
        expect(poll.endedAt).toBeLessThanOrEqual(done()!.at);
        expect(poll.startedAt + poll.waitSeconds * 1000).toBeLessThan(START + 10_000);
      }
    });

    it('counts its idle time from the last batch, not from its start', async () => {
      // Prepare
      const { queue, processor, done } = startWorker({ idleSeconds: 10 });
      await jest.advanceTimersByTimeAsync(6_000);
      // Act
      const job = queue.send();
      await jest.advanceTimersByTimeAsync(8_500);
      const beforeDeadline = done();
      await jest.advanceTimersByTimeAsync(1_500);
      // Assess
      expect(processor.batches).toEqual([[job]]);
      expect(queue.deleted).toEqual([job]);
      expect(beforeDeadline).toBeUndefined();
      expect(done()?.reason).toBe('idle');
      expect(done()!.at - START).toBeGreaterThanOrEqual(15_000);
      expect(done()!.at - START).toBeLessThan(16_000);
    });

    it('never stops by itself when idleSeconds is 0', async () => {
      // Prepare
      const { queue, done } = startWorker({ idleSeconds: 0, pollWaitSeconds: 20 });
      // Act
      await jest.advanceTimersByTimeAsync(600_000);
      // Assess
      expect(done()).toBeUndefined();
      expect(queue.polls.every((poll) => poll.waitSeconds === 20)).toBe(true);
    });
  });

  describe('stop', () => {
    it('on a signal aborts the polls that are only waiting, and is done at once', async () => {
      // Prepare
      const { queue, done } = startWorker({ idleSeconds: 0, concurrency: 2 });
      await jest.advanceTimersByTimeAsync(1_000);
      // Act
      void worker!.stop('signal');
      await jest.advanceTimersByTimeAsync(100);
      // Assess
      expect(done()?.reason).toBe('signal');
      expect(done()!.at - START).toBeLessThanOrEqual(1_100);
      expect(queue.polls).toHaveLength(2);
      expect(queue.polls.every((poll) => poll.aborted)).toBe(true);
    });

    it('when requested, lets the running polls finish instead of aborting them', async () => {
      // Prepare
      const { queue, done } = startWorker({ idleSeconds: 0, pollWaitSeconds: 5 });
      await jest.advanceTimersByTimeAsync(1_000);
      // Act
      const stopped = worker!.stop();
      await jest.advanceTimersByTimeAsync(3_000);
      const whilePolling = done();
      await jest.advanceTimersByTimeAsync(1_100);
      // Assess
      expect(whilePolling).toBeUndefined();
      expect(await stopped).toBe('requested');
      expect(done()!.at - START).toBeGreaterThanOrEqual(5_000);
      expect(queue.polls.some((poll) => poll.aborted)).toBe(false);
    });

    it('finishes the batch in hand, even on a signal and past the grace: its jobs are deleted', async () => {
      // Prepare
      const processor = new FakeProcessor();
      processor.holdBatches();
      const { queue, done } = startWorker({ idleSeconds: 0, stopGraceSeconds: 5 }, undefined, processor);
      const job = queue.send();
      await jest.advanceTimersByTimeAsync(100);
      // Act
      void worker!.stop('signal');
      await jest.advanceTimersByTimeAsync(30_000);
      const whileHeld = done();
      processor.finishHeldBatches();
      await jest.advanceTimersByTimeAsync(100);
      // Assess
      expect(processor.batches).toEqual([[job]]);
      expect(whileHeld).toBeUndefined();
      expect(done()?.reason).toBe('signal');
      expect(queue.deleted).toEqual([job]);
      expect(worker!.processedJobs).toBe(1);
    });
  });

  describe('retries', () => {
    it('hands failed jobs back with a back-off that grows with their receives, and deletes the rest', async () => {
      // Prepare
      const queue = new FakeRequestQueue();
      const processor = new FakeProcessor();
      const [first, third, done] = [queue.send(1), queue.send(3), queue.send(2)];
      processor.retryIds.add(first).add(third);
      // Act
      startWorker({ idleSeconds: 0, concurrency: 1 }, queue, processor);
      await jest.advanceTimersByTimeAsync(100);
      // Assess
      expect(queue.handedBack).toEqual([
        { id: first, visibilityTimeout: 0 },
        { id: third, visibilityTimeout: 4 },
      ]);
      expect(queue.deleted).toEqual([done]);
      expect(worker!.processedJobs).toBe(1);
    });
  });

  describe('drain (Spot interruption notice, SIGTERM)', () => {
    it('starts no new poll, finishes what it was handed (a poll in progress included), releases nothing', async () => {
      // Prepare
      const processor = new FakeProcessor();
      processor.holdBatches();
      const { queue, done } = startWorker({ idleSeconds: 0 }, undefined, processor);
      const job = queue.send();
      await jest.advanceTimersByTimeAsync(100);
      // Act: the other loop is long-polling when the drain starts; a job arrives in that poll
      const drainedAt = Date.now();
      void worker!.drain('interrupted', drainedAt + 10_000);
      const later = queue.send();
      await jest.advanceTimersByTimeAsync(2_000);
      processor.finishHeldBatches();
      await jest.advanceTimersByTimeAsync(100);
      // Assess
      expect(done()?.reason).toBe('interrupted');
      expect(queue.polls.filter((poll) => poll.startedAt > drainedAt)).toEqual([]);
      expect(queue.polls.some((poll) => poll.aborted)).toBe(false);
      expect(processor.batches).toEqual([[job], [later]]);
      expect(queue.deleted.sort()).toEqual([job, later]);
      expect(queue.handedBack).toEqual([]);
    });

    it('releases at the deadline the jobs of a batch that does not finish in time, and is done', async () => {
      // Prepare
      const processor = new FakeProcessor();
      processor.holdBatches();
      const { queue, done } = startWorker({ idleSeconds: 0 }, undefined, processor);
      const jobs = [queue.send(), queue.send()];
      await jest.advanceTimersByTimeAsync(100);
      // Act
      void worker!.drain('interrupted', Date.now() + 5_000);
      await jest.advanceTimersByTimeAsync(4_000);
      const beforeDeadline = done();
      await jest.advanceTimersByTimeAsync(1_100);
      // Assess
      expect(beforeDeadline).toBeUndefined();
      expect(done()?.reason).toBe('interrupted');
      expect(queue.handedBack).toEqual(jobs.map((id) => ({ id, visibilityTimeout: 0 })));
      processor.finishHeldBatches();
    });
  });

  describe('held jobs', () => {
    it('reports the receipts a batch holds when it starts and when it ends', async () => {
      // Prepare
      const events: string[] = [];
      const processor = new FakeProcessor();
      processor.holdBatches();
      const { queue } = startWorker(
        {
          idleSeconds: 0,
          onJobsHeld: (receipts) => events.push(`held ${receipts.join(',')}`),
          onJobsReleased: (receipts) => events.push(`released ${receipts.join(',')}`),
        },
        undefined,
        processor,
      );
      // Act
      queue.send();
      await jest.advanceTimersByTimeAsync(100);
      const whileWorking = [...events];
      processor.finishHeldBatches();
      await jest.advanceTimersByTimeAsync(100);
      // Assess
      expect(whileWorking).toEqual(['held receipt-job-1']);
      expect(events).toEqual(['held receipt-job-1', 'released receipt-job-1']);
    });
  });
});
