import type { Message } from '@aws-sdk/client-sqs';
import { MalformedJobError, parseJobMessage, type JobMessage } from '#core/contracts/job-message.js';
import { RESULT_RECORD_VERSION, type Failure, type ResultRecord } from '#core/contracts/result-record.js';
import type { Prediction } from '#core/contracts/prediction.js';
import type { Classifier } from '../inference/classifier.js';
import { decodeToRgbSquare, ImageDecodeError, type PreprocessSpec } from '../inference/preprocess.js';
import type { JobStorage } from './job-storage.js';
import type { ResultPublisher } from './result-publisher.js';

/** What became of a received batch: acknowledged jobs may be deleted, the rest go back to the queue. */
export interface BatchOutcome {
  readonly acknowledged: Message[];
  readonly retry: Message[];
  /** Records published in this batch (for metrics and logs). */
  readonly published: ResultRecord[];
}

export interface JobProcessorDeps {
  readonly storage: Pick<JobStorage, 'readInput' | 'readStoredResult'>;
  readonly publisher: Pick<ResultPublisher, 'store' | 'replyAll'>;
  readonly classifier: Pick<Classifier, 'classify' | 'modelName'>;
  readonly preprocess: PreprocessSpec;
  readonly maxInputPixels: number;
  readonly workerId: string;
  /** Only reply queues whose name starts with this prefix receive results. */
  readonly responseQueuePrefix: string;
  /** Receives after which SQS moves a job to the dead-letter queue; the last try answers `failed`. */
  readonly maxReceiveCount: number;
  /** Moves a message that is not a job straight to the dead-letter queue. */
  readonly deadLetter: (message: Message, reason: string) => Promise<void>;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  readonly now?: () => number;
}

interface Attempt {
  readonly message: Message;
  readonly job: JobMessage;
  readonly receivedAt: number;
  readonly lastTry: boolean;
  downloadMs: number;
  preprocessMs: number;
  image?: Buffer;
  failure?: Failure;
  prediction?: Prediction;
  inferenceMs: number;
  batchSize: number;
}

/**
 * Turns received job messages into stored, replied results. Per job: read the image, decode it,
 * then classify every decoded image of the batch together, store each result, reply, and only
 * then acknowledge.
 * - A transient error (storage, queue, inference) sends the job back for a retry; on its last
 *   allowed receive the job is answered `failed` (retries_exhausted) so no client waits forever.
 * - An image that cannot be decoded gets a `failed` result instead of retries.
 * - A message that is not a valid job goes straight to the dead-letter queue.
 * - A redelivered job whose result an earlier attempt stored is only answered again.
 */
export class JobProcessor {
  private readonly now: () => number;

  constructor(private readonly deps: JobProcessorDeps) {
    this.now = deps.now ?? Date.now;
  }

  async process(messages: readonly Message[]): Promise<BatchOutcome> {
    const receivedAt = this.now();
    const outcome: BatchOutcome = { acknowledged: [], retry: [], published: [] };

    const attempts = (
      await Promise.all(messages.map((message) => this.prepareOrSettle(message, receivedAt, outcome)))
    ).filter((attempt) => attempt !== undefined);

    const decoded = attempts.filter((attempt) => attempt.image);
    if (decoded.length > 0) {
      try {
        const classification = await this.deps.classifier.classify(decoded.map((attempt) => attempt.image!));
        decoded.forEach((attempt, n) => {
          attempt.prediction = classification.predictions[n];
          attempt.inferenceMs = classification.inferenceMs[n] ?? 0;
          attempt.batchSize = classification.batchSizes[n] ?? 0;
        });
      } catch (error) {
        for (const attempt of decoded) this.transientFailure(attempt, 'inference failed', error, outcome);
      }
    }
    await this.publish(
      attempts.filter((attempt) => attempt.prediction || attempt.failure),
      outcome,
    );
    return outcome;
  }

  /** Reads and decodes one job; settles what needs no inference. Returns the attempt to classify. */
  private async prepareOrSettle(
    message: Message,
    receivedAt: number,
    outcome: BatchOutcome,
  ): Promise<Attempt | undefined> {
    let job: JobMessage;
    try {
      job = parseJobMessage(message.Body);
    } catch (error) {
      if (!(error instanceof MalformedJobError)) throw error;
      try {
        await this.deps.deadLetter(message, error.message);
        this.deps.log('not a job; moved to the dead-letter queue', {
          messageId: message.MessageId,
          reason: error.message,
        });
        outcome.acknowledged.push(message);
      } catch (deadLetterError) {
        this.logFailure(
          'could not dead-letter a malformed message; SQS will after its retries',
          message,
          deadLetterError,
        );
        outcome.retry.push(message);
      }
      return undefined;
    }
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? NaN);
    const attempt: Attempt = {
      message,
      job,
      receivedAt,
      lastTry: receiveCount >= this.deps.maxReceiveCount,
      downloadMs: 0,
      preprocessMs: 0,
      inferenceMs: 0,
      batchSize: 0,
    };
    try {
      // Only a redelivered job can have a result from an earlier attempt: skip the lookup otherwise.
      const firstDelivery = receiveCount === 1;
      const stored = !firstDelivery ? await this.deps.storage.readStoredResult(job.jobId) : undefined;
      if (stored !== undefined) {
        await this.answerAgain(attempt, stored, outcome);
        return undefined;
      }
      const downloadStarted = this.now();
      const bytes = await this.deps.storage.readInput(job.inputKey);
      attempt.downloadMs = this.now() - downloadStarted;
      if (!bytes) {
        attempt.failure = { code: 'input_missing', message: 'the uploaded image is no longer in the input bucket' };
        return attempt;
      }
      const decodeStarted = this.now();
      try {
        attempt.image = await decodeToRgbSquare(bytes, this.deps.preprocess, {
          maxInputPixels: this.deps.maxInputPixels,
        });
      } catch (error) {
        if (!(error instanceof ImageDecodeError)) throw error;
        attempt.failure = { code: error.code, message: error.message };
      }
      attempt.preprocessMs = this.now() - decodeStarted;
      return attempt;
    } catch (error) {
      this.transientFailure(attempt, 'reading the job failed', error, outcome);
      return attempt.failure ? attempt : undefined;
    }
  }

  /** An earlier attempt stored the result but did not finish: reply again, never redo or overwrite it. */
  private async answerAgain(attempt: Attempt, stored: string, outcome: BatchOutcome): Promise<void> {
    const [error] = (
      await this.deps.publisher.replyAll([{ replyTo: this.allowedReplyTo(attempt.job), body: stored }])
    ).filter((reply) => reply instanceof Error);
    if (error) {
      if (!attempt.lastTry) {
        this.logFailure('replying a stored result failed; job will be retried', attempt.message, error);
        outcome.retry.push(attempt.message);
        return;
      }
      // The result is durable and readable by id; the waiting client, if any, gets its timeout.
      this.logFailure('replying a stored result failed on the last try; result kept', attempt.message, error);
    }
    outcome.acknowledged.push(attempt.message);
  }

  /** Retries the job, or on its last allowed try turns it into a `failed` result. */
  private transientFailure(attempt: Attempt, what: string, error: unknown, outcome: BatchOutcome): void {
    attempt.image = undefined;
    if (attempt.lastTry) {
      const detail = error instanceof Error ? error.message : String(error);
      attempt.failure = { code: 'retries_exhausted', message: `${what} on every try; last error: ${detail}` };
      this.logFailure(`${what} on the last try; answering failed`, attempt.message, error);
      return;
    }
    this.logFailure(`${what}; job will be retried`, attempt.message, error);
    outcome.retry.push(attempt.message);
  }

  /** Stores every result, then replies ten at a time per queue, then acknowledges. */
  private async publish(finished: readonly Attempt[], outcome: BatchOutcome): Promise<void> {
    const stored = await Promise.all(
      finished.map(async (attempt) => {
        const record = this.toRecord(attempt);
        try {
          return { attempt, record, body: await this.deps.publisher.store(record) };
        } catch (error) {
          this.logFailure('storing the result failed; job will be retried', attempt.message, error);
          outcome.retry.push(attempt.message);
          return undefined;
        }
      }),
    );
    const durable = stored.filter((item) => item !== undefined);
    const replies = await this.deps.publisher.replyAll(
      durable.map(({ attempt, body }) => ({ replyTo: this.allowedReplyTo(attempt.job), body })),
    );
    durable.forEach(({ attempt, record }, index) => {
      const reply = replies[index]!;
      if (reply instanceof Error) {
        // Stored but not announced: the retry finds the stored result and only replies.
        this.logFailure('replying failed; job will be retried', attempt.message, reply);
        outcome.retry.push(attempt.message);
        return;
      }
      if (reply === 'gone')
        this.deps.log('reply queue is gone; result kept in the output bucket', { jobId: record.jobId });
      outcome.acknowledged.push(attempt.message);
      outcome.published.push(record);
    });
  }

  private toRecord(attempt: Attempt): ResultRecord {
    const completedAt = this.now();
    const submittedAt = Date.parse(attempt.job.submittedAt);
    const common = {
      version: RESULT_RECORD_VERSION,
      jobId: attempt.job.jobId,
      filename: attempt.job.filename,
      model: this.deps.classifier.modelName,
      workerId: this.deps.workerId,
      timings: {
        submittedAt: attempt.job.submittedAt,
        completedAt: new Date(completedAt).toISOString(),
        queueWaitMs: Math.max(0, attempt.receivedAt - submittedAt),
        downloadMs: attempt.downloadMs,
        preprocessMs: attempt.preprocessMs,
        inferenceMs: attempt.inferenceMs,
        batchSize: attempt.batchSize,
        totalMs: Math.max(0, completedAt - submittedAt),
      },
    };
    return attempt.prediction
      ? { ...common, status: 'done', prediction: attempt.prediction }
      : { ...common, status: 'failed', failure: attempt.failure! };
  }

  private allowedReplyTo(job: JobMessage): string | undefined {
    if (!job.replyTo) return undefined;
    const queueName = new URL(job.replyTo).pathname.split('/').pop() ?? '';
    if (queueName.startsWith(this.deps.responseQueuePrefix)) return job.replyTo;
    this.deps.log('reply queue outside the response-queue prefix ignored', { jobId: job.jobId, replyTo: job.replyTo });
    return undefined;
  }

  private logFailure(what: string, message: Message, error: unknown): void {
    this.deps.log(what, {
      messageId: message.MessageId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}
