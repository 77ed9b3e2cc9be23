import { z } from 'zod';
import { predictionSchema } from './prediction.js';

export const RESULT_RECORD_VERSION = 1 as const;

/** How a job ended: with a prediction, or failed with a reason. */
export const jobOutcomeSchema = z.enum(['done', 'failed']);
export type JobOutcome = z.infer<typeof jobOutcomeSchema>;

/** Machine-readable reasons a job ends `failed`. */
export const failureCodeSchema = z.enum([
  'undecodable_image',
  'input_missing',
  'image_too_large',
  'retries_exhausted',
  'model_unavailable',
  'worker_lost',
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
]);
export type ResultRecord = z.infer<typeof resultRecordSchema>;

export function parseResultRecord(body: string | undefined): ResultRecord {
  return resultRecordSchema.parse(JSON.parse(body ?? ''));
}
