import type { Message } from '@aws-sdk/client-sqs';
import { replyQueueUrl } from '#core/aws/response-queues.js';
import { MalformedJobError, parseJobMessage, type JobMessage } from '#core/contracts/job-message.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import type { JobStore } from '#core/storage/job-store.js';
import { ImageDecodeError } from '#core/inference/errors.js';
import { decodeToRgbSquare, type CropSpec } from '#core/inference/preprocess.js';
import { ModelContractError } from '#core/models/errors.js';
import { startAttempt, toResultRecord, type Attempt, type AttemptClassifier } from './attempt.js';
import type { DeadLetterSender } from './dead-letter-sender.js';
import type { ReplyOutcome, ReplySender } from './reply-sender.js';

/** What became of a received batch: acknowledged jobs may be deleted, the rest go back to the queue. */
export interface BatchOutcome {
  readonly acknowledged: Message[];
  readonly retry: Message[];
  /** Records published in this batch (for metrics and logs). */
  readonly published: ResultRecord[];
}

export interface JobProcessorDeps {
  readonly store: Pick<JobStore, 'readInput' | 'readPixels' | 'readResult' | 'putResult'>;
  readonly replies: Pick<ReplySender, 'sendAll'>;
  /** The classifier of each model a job names (the default's for a job naming none), opened once. */
  readonly models: {
    readonly defaultModel: string;
    classifierFor(model: string | undefined): Promise<AttemptClassifier>;
  };
  readonly maxInputPixels: number;
  readonly workerId: string;
  /** A job naming a reply queue outside this prefix is not the web tier's: it is dead-lettered. */
  readonly responseQueuePrefix: string;
  /** Reply queues are resolved by name on this queue's endpoint and account, never where a job says. */
  readonly requestQueueUrl: string;
  /** Receives after which SQS moves a job to the dead-letter queue; the last try answers `failed`. */
  readonly maxReceiveCount: number;
  /** Moves a message that is not a job straight to the dead-letter queue. */
  readonly deadLetters: Pick<DeadLetterSender, 'send'>;
  readonly log: Logger;
  readonly now?: () => number;
}

/** A result stored in the output bucket, not yet replied. */
interface StoredResult {
  readonly attempt: Attempt;
  readonly record: ResultRecord;
  readonly body: string;
  /** Whether this attempt's record is the stored one (else an earlier attempt's is). */
  readonly first: boolean;
}

/**
 * Turns received job messages into stored, replied results. Per job: read the image, decode it,
 * then classify every decoded image of the batch together, store each result, reply, and only
 * then acknowledge.
 * - A transient error (storage, queue, inference) sends the job back for a retry; on its last
 *   allowed receive the job is answered `failed` (retries_exhausted) so no client waits forever.
 * - An image that cannot be decoded gets a `failed` result instead of retries.
 * - A message that is not a valid job (oversized, a field out of bounds, a reply queue outside the
 *   response-queue prefix) goes straight to the dead-letter queue, and nowhere else.
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
      await Promise.all(messages.map((message) => this.prepareAttempt(message, receivedAt, outcome)))
    ).filter((attempt) => attempt !== undefined);
    await this.classifyDecoded(
      attempts.filter((attempt) => attempt.image),
      outcome,
    );
    await this.publish(
      attempts.filter((attempt) => attempt.prediction || attempt.failure),
      outcome,
    );
    return outcome;
  }

  /**
   * Reads and decodes one job. Returns the attempt to classify or answer, or undefined when the
   * job is settled already: dead-lettered, answered again from its stored result, or handed back.
   */
  private async prepareAttempt(
    message: Message,
    receivedAt: number,
    outcome: BatchOutcome,
  ): Promise<Attempt | undefined> {
    const job = await this.parseOrDeadLetter(message, outcome);
    if (!job) return undefined;
    const { maxReceiveCount, log } = this.deps;
    const attempt = startAttempt(message, job, { receivedAt, maxReceiveCount, log });
    try {
      if (await this.resendStoredResult(attempt, outcome)) return undefined;
      if (await this.openModel(attempt)) await this.readAndDecode(attempt);
      return attempt;
    } catch (error) {
      this.retryOrAnswerFailed(attempt, 'reading the job failed', error, outcome);
      return attempt.failure ? attempt : undefined;
    }
  }

  /** The job in the message; a message that is not one goes to the dead-letter queue. */
  private async parseOrDeadLetter(message: Message, outcome: BatchOutcome): Promise<JobMessage | undefined> {
    try {
      return parseJobMessage(message.Body, { responseQueuePrefix: this.deps.responseQueuePrefix });
    } catch (error) {
      if (!(error instanceof MalformedJobError)) throw error;
      const log = this.deps.log.child({ messageId: message.MessageId });
      try {
        await this.deps.deadLetters.send(message, error.message);
        log.warn({ reason: error.message }, 'not a job; moved to the dead-letter queue');
        outcome.acknowledged.push(message);
      } catch (deadLetterError) {
        log.error(
          { error: describeError(deadLetterError) },
          'could not dead-letter a malformed message; SQS will after its retries',
        );
        outcome.retry.push(message);
      }
      return undefined;
    }
  }

  /**
   * An earlier attempt stored the result but did not finish: reply again, never redo or overwrite
   * it. True when the job had a stored result.
   */
  private async resendStoredResult(attempt: Attempt, outcome: BatchOutcome): Promise<boolean> {
    if (attempt.firstDelivery) return false;
    const stored = await this.deps.store.readResult(attempt.job.jobId);
    if (stored === undefined) return false;
    const [reply] = await this.deps.replies.sendAll([{ queueUrl: this.replyQueueUrlOf(attempt.job), body: stored }]);
    if (reply instanceof Error) {
      if (!attempt.lastTry) {
        attempt.log.warn({ error: describeError(reply) }, 'replying a stored result failed; job will be retried');
        outcome.retry.push(attempt.message);
        return true;
      }
      // The result is durable and readable by id; the waiting client, if any, gets its timeout.
      attempt.log.error(
        { error: describeError(reply) },
        'replying a stored result failed on the last try; result kept',
      );
    }
    outcome.acknowledged.push(attempt.message);
    return true;
  }

  /**
   * Opens the classifier of the job's model; true when it is open. A model that breaks its contract
   * is the job's failure (`model_unavailable`); any other failure to open it is thrown (a retry).
   */
  private async openModel(attempt: Attempt): Promise<boolean> {
    try {
      attempt.classifier = await this.deps.models.classifierFor(attempt.job.model);
      return true;
    } catch (error) {
      if (!(error instanceof ModelContractError)) throw error;
      attempt.failure = { code: 'model_unavailable', message: error.message };
      return false;
    }
  }

  /**
   * Reads the job's image and decodes it; a missing or undecodable image is the attempt's failure.
   * Model-ready pixels stored by the web tier, cut to this model's contract, are used as they are.
   */
  private async readAndDecode(attempt: Attempt): Promise<void> {
    const downloadStarted = this.now();
    const { preprocess } = attempt.classifier!;
    const pixels = await this.readModelPixels(attempt.job, preprocess);
    if (pixels) {
      attempt.downloadMs = this.now() - downloadStarted;
      attempt.preprocessMs = 0;
      attempt.image = pixels;
      return;
    }
    const bytes = await this.deps.store.readInput(attempt.job.jobId);
    attempt.downloadMs = this.now() - downloadStarted;
    if (!bytes) {
      attempt.failure = { code: 'input_missing', message: 'the uploaded image is no longer in the input bucket' };
      return;
    }
    const decodeStarted = this.now();
    try {
      attempt.image = await decodeToRgbSquare(bytes, preprocess, {
        maxInputPixels: this.deps.maxInputPixels,
      });
    } catch (error) {
      if (!(error instanceof ImageDecodeError)) throw error;
      attempt.failure = { code: error.code, message: error.message };
    }
    attempt.preprocessMs = this.now() - decodeStarted;
  }

  /** The web tier's pixels of the job, when they fit this model's input; else undefined (decode the original). */
  private async readModelPixels(job: JobMessage, preprocess: CropSpec): Promise<Uint8Array | undefined> {
    const contract = job.pixels;
    if (contract?.size !== preprocess.inputSize || contract.resize !== preprocess.resizeShorterSide) return undefined;
    const pixels = await this.deps.store.readPixels(job.jobId);
    return pixels?.length === contract.size * contract.size * 3 ? pixels : undefined;
  }

  /** Classifies the decoded images of the batch together per model, in as few onnxruntime calls as allowed. */
  private async classifyDecoded(decoded: readonly Attempt[], outcome: BatchOutcome): Promise<void> {
    const byModel = new Map<AttemptClassifier, Attempt[]>();
    for (const attempt of decoded)
      byModel.set(attempt.classifier!, [...(byModel.get(attempt.classifier!) ?? []), attempt]);
    await Promise.all([...byModel].map(([classifier, attempts]) => this.classifyWith(classifier, attempts, outcome)));
  }

  private async classifyWith(
    classifier: AttemptClassifier,
    decoded: readonly Attempt[],
    outcome: BatchOutcome,
  ): Promise<void> {
    try {
      const classification = await classifier.classify(decoded.map((attempt) => attempt.image!));
      decoded.forEach((attempt, n) => {
        attempt.prediction = classification.predictions[n];
        attempt.inferenceMs = classification.inferenceMs[n] ?? 0;
        attempt.batchSize = classification.batchSizes[n] ?? 0;
      });
    } catch (error) {
      for (const attempt of decoded) this.retryOrAnswerFailed(attempt, 'inference failed', error, outcome);
    }
  }

  /** A transient failure: the job goes back for a retry, or on its last allowed try is answered `failed`. */
  private retryOrAnswerFailed(attempt: Attempt, what: string, error: unknown, outcome: BatchOutcome): void {
    attempt.image = undefined;
    if (attempt.lastTry) {
      const lastError = describeError(error);
      attempt.failure = { code: 'retries_exhausted', message: `${what} on every try; last error: ${lastError}` };
      attempt.log.error({ error: lastError }, `${what} on the last try; answering failed`);
      return;
    }
    attempt.log.warn({ error: describeError(error) }, `${what}; job will be retried`);
    outcome.retry.push(attempt.message);
  }

  /** Stores every result, then replies, batched per reply queue, then acknowledges. */
  private async publish(finished: readonly Attempt[], outcome: BatchOutcome): Promise<void> {
    const durable = await this.storeResults(finished, outcome);
    const replies = await this.deps.replies.sendAll(
      durable.map(({ attempt, body }) => ({ queueUrl: this.replyQueueUrlOf(attempt.job), body })),
    );
    durable.forEach((stored, index) => this.settleReplied(stored, replies[index]!, outcome));
  }

  /** Stores the results in the output bucket; a job whose result could not be stored is retried. */
  private async storeResults(finished: readonly Attempt[], outcome: BatchOutcome): Promise<StoredResult[]> {
    const stored = await Promise.all(
      finished.map(async (attempt) => {
        const record = toResultRecord(attempt, {
          // A job whose model did not open is answered in the name of the model it asked for.
          model: attempt.classifier?.modelName ?? attempt.job.model ?? this.deps.models.defaultModel,
          modelVersion: attempt.classifier?.modelVersion,
          workerId: this.deps.workerId,
          completedAt: this.now(),
        });
        try {
          // An earlier attempt's result stored first is the job's result: it is what gets replied.
          const { body, first } = await this.deps.store.putResult(record);
          if (!first) attempt.log.info('an earlier attempt stored the result first; replying that one');
          return { attempt, record, body, first };
        } catch (error) {
          attempt.log.warn({ error: describeError(error) }, 'storing the result failed; job will be retried');
          outcome.retry.push(attempt.message);
          return undefined;
        }
      }),
    );
    return stored.filter((item) => item !== undefined);
  }

  /** Acknowledges a stored job once its reply went out (or had nowhere to go); retries it otherwise. */
  private settleReplied(
    { attempt, record, first }: StoredResult,
    reply: ReplyOutcome | Error,
    outcome: BatchOutcome,
  ): void {
    if (reply instanceof Error) {
      // Stored but not announced: the retry finds the stored result and only replies.
      attempt.log.warn({ error: describeError(reply) }, 'replying failed; job will be retried');
      outcome.retry.push(attempt.message);
      return;
    }
    if (reply === 'gone') attempt.log.info('reply queue is gone; result kept in the output bucket');
    outcome.acknowledged.push(attempt.message);
    if (first) outcome.published.push(record);
  }

  /** The URL of the job's reply queue on this worker's own endpoint; undefined when nobody waits. */
  private replyQueueUrlOf(job: JobMessage): string | undefined {
    return job.replyQueue === undefined ? undefined : replyQueueUrl(this.deps.requestQueueUrl, job.replyQueue);
  }
}
