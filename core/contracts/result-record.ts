import { z } from 'zod';
import { predictionSchema } from './prediction.js';

export const RESULT_RECORD_VERSION = 1 as const;

/**
 * How a job ended: with a prediction, failed with a reason, canceled by its client
 * (`DELETE /v1/classifications/:id`) before it was classified, or expired: not started before the
 * deadline its client gave. Exactly one ending is stored per job (a conditional write: the first wins).
 */
export const jobOutcomeSchema = z.enum(['done', 'failed', 'canceled', 'expired']);
export type JobOutcome = z.infer<typeof jobOutcomeSchema>;

/** Machine-readable reasons a job ends `failed`. */
export const failureCodeSchema = z.enum([
  'undecodable_image',
  'input_missing',
  'image_too_large',
  'retries_exhausted',
  'model_unavailable',
  'worker_lost',
  'not_queued',
]);
export type FailureCode = z.infer<typeof failureCodeSchema>;

/** Why a job ended `failed`. */
export const failureSchema = z.object({
  code: failureCodeSchema,
  message: z.string().meta({
    description: 'What a person should read',
    example: 'cannot decode image: premature end of JPEG',
  }),
});
export type Failure = z.infer<typeof failureSchema>;

const milliseconds = (description: string) => z.number().min(0).describe(description);

/** Where the time of one job went, in milliseconds. */
export const timingsSchema = z.object({
  submittedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  queueWaitMs: milliseconds('Upload to the worker receiving the job, ms'),
  downloadMs: milliseconds('Reading the image from the input bucket, ms'),
  preprocessMs: milliseconds('Decode, resize, crop, normalise, ms'),
  inferenceMs: milliseconds('The onnxruntime call this image was part of (shared by its batch), ms'),
  batchSize: z.number().int().min(0).describe('Images in that onnxruntime call'),
  totalMs: milliseconds('Upload to stored result, ms'),
});
export type Timings = z.infer<typeof timingsSchema>;

/**
 * The timings of a job that ended without any work on it (canceled, expired, every worker lost):
 * all of its time, submission to `completedAt` (epoch ms), was waiting.
 */
export function timingsWithoutWork(submittedAt: string, completedAt: number): Timings {
  const waitedMs = Math.max(0, completedAt - Date.parse(submittedAt));
  return {
    submittedAt,
    completedAt: new Date(completedAt).toISOString(),
    queueWaitMs: waitedMs,
    downloadMs: 0,
    preprocessMs: 0,
    inferenceMs: 0,
    batchSize: 0,
    totalMs: waitedMs,
  };
}

const common = {
  version: z.literal(RESULT_RECORD_VERSION),
  jobId: z.uuid(),
  filename: z.string(),
  model: z.string(),
  /** The model's version (model.json `version`); absent in records of workers from before models had one. */
  modelVersion: z.string().optional(),
  workerId: z.string(),
  timings: timingsSchema,
};

/**
 * The outcome of one job: stored in the output bucket under the job id and sent to the job's
 * reply queue. The same record serves both, so a restarted web tier answers from the bucket.
 */
export const resultRecordSchema = z.discriminatedUnion('status', [
  z.object({ ...common, status: z.literal(jobOutcomeSchema.enum.done), prediction: predictionSchema }),
  z.object({ ...common, status: z.literal(jobOutcomeSchema.enum.failed), failure: failureSchema }),
  z.object({ ...common, status: z.literal(jobOutcomeSchema.enum.canceled) }),
  z.object({ ...common, status: z.literal(jobOutcomeSchema.enum.expired) }),
]);
export type ResultRecord = z.infer<typeof resultRecordSchema>;

export function parseResultRecord(body: string | undefined): ResultRecord {
  return resultRecordSchema.parse(JSON.parse(body ?? ''));
}
