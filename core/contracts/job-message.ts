import { z } from 'zod';
import { GlimpseError } from '../errors.js';
import { modelNameSchema } from '../models/model-contract.js';

/** Version of the job message; bumped on any incompatible change. */
export const JOB_MESSAGE_VERSION = 2 as const;

/** A job body is a few hundred bytes; one this large was not sent by the web tier. */
export const MAX_JOB_MESSAGE_BYTES = 8192;

/** An SQS queue name (and nothing else: no host, no path), what a job names as its reply queue. */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * A request to classify one stored image, sent by the web tier to the request queue. Unknown fields
 * (from a newer producer of the same version) are dropped, not refused. Everything a worker touches
 * derives from the job id (its upload, pixels and result keys) or is resolved on the worker's own
 * endpoint (the reply queue), so a forged job can neither redirect a worker nor read another upload.
 */
export const jobMessageSchema = z.object({
  version: z.literal(JOB_MESSAGE_VERSION),
  /** Random UUID naming the job, its input object and its result object. */
  jobId: z.uuid(),
  /** The client's file name, sanitised; for display only, never a storage key. */
  filename: z.string().min(1).max(255),
  /**
   * Name of the queue to send the result to (inside the response-queue prefix); absent when nobody
   * waits for it. A name, never a URL: the worker sends to that name on its own SQS endpoint.
   */
  replyQueue: z.string().regex(QUEUE_NAME_PATTERN).optional(),
  /** The served model to classify with (see GET /v1/models); absent: the worker's default model. */
  model: modelNameSchema.optional(),
  /**
   * Where to POST the job's item when it ends (a signed webhook; see core/webhooks). Checked at
   * submission (https, no private address unless configured) and again at delivery.
   */
  webhook: z.url().max(2048).optional(),
  /** When the job expires if no worker has started it (ISO 8601); absent: never. */
  deadline: z.iso.datetime().max(40).optional(),
  /** The request the job came in with, when it had several files (`GET /v1/batches/:id`). */
  batchId: z.uuid().optional(),
  /** When the web tier accepted the upload (ISO 8601). */
  submittedAt: z.iso.datetime().max(40),
  /**
   * Present when the web tier also stored the upload as model-ready pixels (`GLIMPSE_PREPROCESS_AT=web`):
   * an RGB square of side `size`, cut from the image resized to `resize` on its shorter side. A worker
   * whose model has that contract classifies them as they are; any other decodes the original.
   */
  pixels: z.object({ size: z.int().min(1).max(4096), resize: z.int().min(1).max(16_384) }).optional(),
});
export type JobMessage = z.infer<typeof jobMessageSchema>;

/**
 * A v1 job, still read during a rolling upgrade (workers first, then the web tier). Its `replyTo`
 * URL counts only by its last segment, the queue name: its host is ignored. Its `inputKey` is
 * ignored: the upload is read by the job id. Drop this once no v1 producer is left.
 */
const jobMessageV1Schema = z
  .object({ version: z.literal(1), replyTo: z.url().max(2048).optional() })
  .loose()
  .transform(({ version: _version, replyTo, inputKey: _inputKey, ...job }) => ({
    ...job,
    version: JOB_MESSAGE_VERSION,
    ...(replyTo === undefined ? {} : { replyQueue: new URL(replyTo).pathname.split('/').pop() }),
  }))
  .pipe(jobMessageSchema);

/** A job body that is not a valid job message. */
export class MalformedJobError extends GlimpseError {}

/**
 * The job in a message body, or a {@link MalformedJobError} saying why there is none: not JSON, over
 * {@link MAX_JOB_MESSAGE_BYTES}, a field missing or out of bounds, or a reply queue outside
 * `responseQueuePrefix` (no web process's queue).
 */
export function parseJobMessage(
  body: string | undefined,
  { responseQueuePrefix }: { readonly responseQueuePrefix: string },
): JobMessage {
  const bytes = Buffer.byteLength(body ?? '');
  if (bytes > MAX_JOB_MESSAGE_BYTES) {
    throw new MalformedJobError(`job body is ${bytes} bytes, over the ${MAX_JOB_MESSAGE_BYTES} allowed`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    throw new MalformedJobError('job body is not JSON');
  }
  const schema = (json as { version?: unknown } | null)?.version === 1 ? jobMessageV1Schema : jobMessageSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new MalformedJobError(
      `job body is not a v${JOB_MESSAGE_VERSION} job: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
        .join('; ')}`,
    );
  }
  const { replyQueue } = parsed.data;
  if (replyQueue !== undefined && !replyQueue.startsWith(responseQueuePrefix)) {
    throw new MalformedJobError(`reply queue ${replyQueue} is outside the response-queue prefix`);
  }
  return parsed.data;
}
