import { z } from 'zod';
import { GlimpseError } from '../errors.js';

/** Version of the job message; bumped on any incompatible change. */
export const JOB_MESSAGE_VERSION = 1 as const;

/**
 * A request to classify one stored image, sent by the web tier to the request queue. Unknown fields
 * (from a newer producer of the same version) are dropped, not refused.
 */
export const jobMessageSchema = z.object({
  version: z.literal(JOB_MESSAGE_VERSION),
  /** Random UUID naming the job, its input object and its result object. */
  jobId: z.uuid(),
  /** Key of the image in the input bucket. */
  inputKey: z.string().min(1).max(1024),
  /** The client's file name, sanitised; for display only, never a storage key. */
  filename: z.string().min(1).max(255),
  /** Queue URL to send the result to; absent when nobody waits for it. */
  replyTo: z.url().optional(),
  /** When the web tier accepted the upload (ISO 8601). */
  submittedAt: z.iso.datetime(),
  /**
   * Present when the web tier also stored the upload as model-ready pixels (`GLIMPSE_PREPROCESS_AT=web`):
   * an RGB square of side `size`, cut from the image resized to `resize` on its shorter side. A worker
   * whose model has that contract classifies them as they are; any other decodes the original.
   */
  pixels: z.object({ size: z.int().min(1).max(4096), resize: z.int().min(1).max(16_384) }).optional(),
});
export type JobMessage = z.infer<typeof jobMessageSchema>;

/** A job body that is not a valid job message. */
export class MalformedJobError extends GlimpseError {}

export function parseJobMessage(body: string | undefined): JobMessage {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    throw new MalformedJobError('job body is not JSON');
  }
  const parsed = jobMessageSchema.safeParse(json);
  if (!parsed.success) {
    throw new MalformedJobError(
      `job body is not a v${JOB_MESSAGE_VERSION} job: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
