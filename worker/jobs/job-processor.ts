import type { Message } from '@aws-sdk/client-sqs';
import { replyQueueUrl } from '#core/aws/response-queues.js';
import { isPastDeadline } from '#core/contracts/deadline-check.js';
import { MalformedJobError, parseJobMessage, type JobMessage } from '#core/contracts/job-message.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import type { JobStore } from '#core/storage/job-store.js';
import type { WebhookRequests } from '#core/webhooks/webhook-requests.js';
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
  /** Asks for the webhook delivery of each job with a webhook whose ending this worker stored first. */
  readonly webhooks: Pick<WebhookRequests, 'requestAll'>;
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
 * - A job received past its deadline ends `expired`, unclassified; a job whose input is gone
 *   because it was ended early (canceled, expired) is answered with its stored ending.
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
      attempts.filter((attempt) => attempt.prediction || attempt.failure || attempt.ending),
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
      if (!attempt.firstDelivery && (await this.resendStoredResult(attempt, outcome))) return undefined;
      if (isPastDeadline(job.deadline, receivedAt)) {
        attempt.ending = 'expired';
        attempt.log.info({ deadline: job.deadline }, 'job received past its deadline; expiring it unclassified');
        return attempt;
      }
      if (await this.openModel(attempt)) await this.readAndDecode(attempt);
      // The web tier ended the job early (and requested its webhook itself): only reply its ending.
      const endedEarly = attempt.failure?.code === 'input_missing';
      if (endedEarly && (await this.resendStoredResult(attempt, outcome, { webhookOwed: false }))) return undefined;
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
   * The job has an ending already (an earlier attempt stored it but did not finish, or the web tier
   * ended the job early): reply it again, never redo or overwrite it. True when one was stored.
   */
  private async resendStoredResult(
    attempt: Attempt,
    outcome: BatchOutcome,
    { webhookOwed = true } = {},
  ): Promise<boolean> {
    const stored = await this.deps.store.readResult(attempt.job.jobId);
    if (stored === undefined) return false;
    // The attempt that stored it may have stopped before requesting the webhook: ask again (same webhook-id).
    if (webhookOwed && !(await this.requestWebhooks([attempt], outcome)).includes(attempt)) return true;
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
    for (const attempt of decoded) {
      const attempts = byModel.get(attempt.classifier!);
      if (attempts) attempts.push(attempt);
      else byModel.set(attempt.classifier!, [attempt]);
    }
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

  /** Stores every result, requests the webhooks it owes, then replies, batched per reply queue, then acknowledges. */
  private async publish(finished: readonly Attempt[], outcome: BatchOutcome): Promise<void> {
    const stored = await this.storeResults(finished, outcome);
    const requested = await this.requestWebhooks(
      stored.filter(({ first }) => first).map(({ attempt }) => attempt),
      outcome,
    );
    const durable = stored.filter(({ attempt, first }) => !first || requested.includes(attempt));
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

  /**
   * Requests the webhook deliveries of the attempts' jobs that name a webhook, in batches. Returns
   * the attempts to go on with: a job whose request failed goes back for a retry before it is
   * acknowledged (the redelivery finds the stored ending and asks again), except on its last try,
   * where the ending stands and the lost delivery is logged.
   */
  private async requestWebhooks(attempts: readonly Attempt[], outcome: BatchOutcome): Promise<Attempt[]> {
    const owed = attempts.filter((attempt) => attempt.job.webhook !== undefined);
    const sent = await this.deps.webhooks.requestAll(owed.map(({ job }) => ({ jobId: job.jobId, url: job.webhook! })));
    const failed = new Set<Attempt>();
    owed.forEach((attempt, index) => {
      const result = sent[index];
      if (result === 'sent') return;
      const error = describeError(result);
      if (attempt.lastTry)
        return attempt.log.error({ error }, 'requesting the webhook failed on the last try; not delivered');
      attempt.log.warn({ error }, 'requesting the webhook failed; job will be retried');
      outcome.retry.push(attempt.message);
      failed.add(attempt);
    });
    return attempts.filter((attempt) => !failed.has(attempt));
  }

  /** The URL of the job's reply queue on this worker's own endpoint; undefined when nobody waits. */
  private replyQueueUrlOf(job: JobMessage): string | undefined {
    return job.replyQueue === undefined ? undefined : replyQueueUrl(this.deps.requestQueueUrl, job.replyQueue);
  }
}
