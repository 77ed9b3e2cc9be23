import type { Message } from '@aws-sdk/client-sqs';
import { MalformedJobError, parseJobMessage, type JobMessage } from '#core/contracts/job-message.js';
import type { Failure, ResultRecord } from '#core/contracts/result-record.js';
import type { Prediction } from '#core/contracts/prediction.js';
import type { Classifier } from '../inference/classifier.js';
import { decodeToRgbSquare, ImageDecodeError, type PreprocessSpec } from '../inference/preprocess.js';
import type { JobStorage } from './input-reader.js';
import type { ResultPublisher } from './result-publisher.js';

/** What became of a received batch: acknowledged jobs may be deleted, the rest go back to the queue. */
export interface BatchOutcome {
  readonly acknowledged: Message[];
  readonly retry: Message[];
  /** Records published in this batch (for metrics and logs). */
  readonly published: ResultRecord[];
}

export interface JobProcessorDeps {
  readonly storage: JobStorage;
  readonly publisher: ResultPublisher;
  readonly classifier: Classifier;
  readonly preprocess: PreprocessSpec;
  readonly maxInputPixels: number;
  readonly workerId: string;
  /** Only reply queues whose name starts with this prefix receive results. */
  readonly responseQueuePrefix: string;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  readonly now?: () => number;
}

interface Attempt {
  readonly message: Message;
  readonly job: JobMessage;
  readonly receivedAt: number;
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
 * then acknowledge. A transient error (storage, queue, inference) sends the job back for a retry;
 * an image that cannot be decoded gets a `failed` result instead of endless retries.
 */
export class JobProcessor {
  private readonly now: () => number;

  constructor(private readonly deps: JobProcessorDeps) {
    this.now = deps.now ?? Date.now;
  }

  async process(messages: readonly Message[]): Promise<BatchOutcome> {
    const receivedAt = this.now();
    const acknowledged: Message[] = [];
    const retry: Message[] = [];
    const published: ResultRecord[] = [];

    const prepared = await Promise.all(
      messages.map(async (message) => {
        try {
          return await this.prepare(message, receivedAt);
        } catch (error) {
          this.logFailure('job will be retried', message, error);
          retry.push(message);
          return undefined;
        }
      }),
    );

    const attempts: Attempt[] = [];
    prepared.forEach((item, index) => {
      if (item === 'already-done') acknowledged.push(messages[index]!);
      else if (item) attempts.push(item);
    });

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
        for (const attempt of decoded) {
          this.logFailure('inference failed; job will be retried', attempt.message, error);
          retry.push(attempt.message);
        }
        decoded.forEach((attempt) => (attempt.image = undefined));
      }
    }

    const finished = attempts.filter((attempt) => attempt.prediction || attempt.failure);
    const stored = await Promise.all(
      finished.map(async (attempt) => {
        const record = this.toRecord(attempt);
        try {
          return { attempt, record, body: await this.deps.publisher.store(record) };
        } catch (error) {
          this.logFailure('storing the result failed; job will be retried', attempt.message, error);
          retry.push(attempt.message);
          return undefined;
        }
      }),
    );
    const durable = stored.filter((item) => item !== undefined);
    const outcomes = await this.deps.publisher.replyAll(
      durable.map(({ attempt, body }) => ({ replyTo: this.allowedReplyTo(attempt.job), body })),
    );
    durable.forEach(({ attempt, record }, index) => {
      const outcome = outcomes[index]!;
      if (outcome instanceof Error) {
        // Stored but not announced: the retry finds the stored result and only replies.
        this.logFailure('replying failed; job will be retried', attempt.message, outcome);
        retry.push(attempt.message);
        return;
      }
      if (outcome === 'gone')
        this.deps.log('reply queue is gone; result kept in the output bucket', { jobId: record.jobId });
      acknowledged.push(attempt.message);
      published.push(record);
    });
    return { acknowledged, retry, published };
  }

  private async prepare(message: Message, receivedAt: number): Promise<Attempt | 'already-done'> {
    const job = parseJobMessage(message.Body);
    // Only a redelivered job can have a result from an earlier attempt: skip the lookup otherwise.
    const redelivered = Number(message.Attributes?.ApproximateReceiveCount ?? 2) > 1;
    const stored = redelivered ? await this.deps.storage.readStoredResult(job.jobId) : undefined;
    if (stored !== undefined) {
      // An earlier attempt stored the result but died before deleting the job: answer again, do no work.
      await this.deps.publisher.reply(stored, this.allowedReplyTo(job));
      return 'already-done';
    }
    const attempt: Attempt = { message, job, receivedAt, downloadMs: 0, preprocessMs: 0, inferenceMs: 0, batchSize: 0 };
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
  }

  private toRecord(attempt: Attempt): ResultRecord {
    const completedAt = this.now();
    const submittedAt = Date.parse(attempt.job.submittedAt);
    const common = {
      version: 1 as const,
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
      malformed: error instanceof MalformedJobError,
    });
  }
}
