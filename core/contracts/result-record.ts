import { z } from 'zod';
import { predictionSchema } from './prediction.js';

export const RESULT_RECORD_VERSION = 1 as const;

/** Why a job ended `failed`. */
export const failureSchema = z.object({
  /** Machine-readable reason, e.g. `undecodable_image`. */
  code: z.enum(['undecodable_image', 'input_missing', 'image_too_large', 'retries_exhausted']),
  /** What a person should read. */
  message: z.string(),
});
export type Failure = z.infer<typeof failureSchema>;

/** Where the time of one job went, in milliseconds. */
export const timingsSchema = z.object({
  submittedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  /** From upload to the worker receiving the job. */
  queueWaitMs: z.number().min(0),
  /** Reading the image from the input bucket. */
  downloadMs: z.number().min(0),
  /** Decoding, resizing and normalising. */
  preprocessMs: z.number().min(0),
  /** The onnxruntime call that included this image (shared by its batch). */
  inferenceMs: z.number().min(0),
  /** Images in that onnxruntime call. */
  batchSize: z.number().int().min(0),
  /** From upload to the stored result. */
  totalMs: z.number().min(0),
});
export type Timings = z.infer<typeof timingsSchema>;

const common = {
  version: z.literal(RESULT_RECORD_VERSION),
  jobId: z.uuid(),
  filename: z.string(),
  model: z.string(),
  workerId: z.string(),
  timings: timingsSchema,
};

/**
 * The outcome of one job: stored in the output bucket under the job id and sent to the job's
 * reply queue. The same record serves both, so a restarted web tier answers from the bucket.
 */
export const resultRecordSchema = z.discriminatedUnion('status', [
  z.object({ ...common, status: z.literal('done'), prediction: predictionSchema }),
  z.object({ ...common, status: z.literal('failed'), failure: failureSchema }),
]);
export type ResultRecord = z.infer<typeof resultRecordSchema>;

export function parseResultRecord(body: string | undefined): ResultRecord {
  return resultRecordSchema.parse(JSON.parse(body ?? ''));
}
