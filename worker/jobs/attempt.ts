import type { Message } from '@aws-sdk/client-sqs';
import type { JobMessage } from '#core/contracts/job-message.js';
import type { Prediction } from '#core/contracts/prediction.js';
import { RESULT_RECORD_VERSION, type Failure, type ResultRecord } from '#core/contracts/result-record.js';
import type { ImageClassifier } from '#core/inference/batching-classifier.js';
import type { Logger } from '#core/logging/logger.js';

/** One receive of one job, from its message to its result, with what each step cost. */
export interface Attempt {
  readonly message: Message;
  readonly job: JobMessage;
  /** Bound to the job and message ids. */
  readonly log: Logger;
  readonly receivedAt: number;
  /** Only a redelivered job can have a result stored by an earlier attempt. */
  readonly firstDelivery: boolean;
  /** SQS will not offer the job again: this attempt must answer, if only `failed`. */
  readonly lastTry: boolean;
  downloadMs: number;
  preprocessMs: number;
  inferenceMs: number;
  batchSize: number;
  /** The classifier of the model the job names, once opened. */
  classifier?: AttemptClassifier;
  image?: Uint8Array;
  failure?: Failure;
  prediction?: Prediction;
  /** Set when the job ends without classifying: received past its deadline. */
  ending?: 'expired';
}

/** What an attempt needs of its model's classifier. */
export type AttemptClassifier = Pick<ImageClassifier, 'classify' | 'modelName' | 'modelVersion' | 'preprocess'>;

/** A fresh attempt at a received job; `maxReceiveCount` is the queue's redrive limit. */
export function startAttempt(
  message: Message,
  job: JobMessage,
  context: { readonly receivedAt: number; readonly maxReceiveCount: number; readonly log: Logger },
): Attempt {
  const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? NaN);
  return {
    message,
    job,
    log: context.log.child({ jobId: job.jobId, messageId: message.MessageId }),
    receivedAt: context.receivedAt,
    firstDelivery: receiveCount === 1,
    lastTry: receiveCount >= context.maxReceiveCount,
    downloadMs: 0,
    preprocessMs: 0,
    inferenceMs: 0,
    batchSize: 0,
  };
}

/** The result record of a finished attempt: its ending, else its prediction, else its failure, with its timings. */
export function toResultRecord(
  attempt: Attempt,
  by: {
    readonly model: string;
    readonly modelVersion?: string;
    readonly workerId: string;
    readonly completedAt: number;
  },
): ResultRecord {
  const { job } = attempt;
  const submittedAt = Date.parse(job.submittedAt);
  const common = {
    version: RESULT_RECORD_VERSION,
    jobId: job.jobId,
    filename: job.filename,
    model: by.model,
    ...(by.modelVersion === undefined ? {} : { modelVersion: by.modelVersion }),
    workerId: by.workerId,
    timings: {
      submittedAt: job.submittedAt,
      completedAt: new Date(by.completedAt).toISOString(),
      queueWaitMs: Math.max(0, attempt.receivedAt - submittedAt),
      downloadMs: attempt.downloadMs,
      preprocessMs: attempt.preprocessMs,
      inferenceMs: attempt.inferenceMs,
      batchSize: attempt.batchSize,
      totalMs: Math.max(0, by.completedAt - submittedAt),
    },
  };
  if (attempt.ending) return { ...common, status: attempt.ending };
  return attempt.prediction
    ? { ...common, status: 'done', prediction: attempt.prediction }
    : { ...common, status: 'failed', failure: attempt.failure! };
}
