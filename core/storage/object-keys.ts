/** Key of an uploaded image in the input bucket: derived from the job id only, never the client's name. */
export function inputKeyFor(jobId: string): string {
  return `uploads/${jobId}`;
}

/** Key of a job's model-ready pixels (RGB bytes) in the input bucket, beside its upload. */
export function pixelsKeyFor(jobId: string): string {
  return `pixels/${jobId}.rgb`;
}

/** Key of a job's result record in the output bucket. */
export function resultKeyFor(jobId: string): string {
  return `results/${jobId}.json`;
}

/** S3 user-metadata key under which the input object keeps the (sanitised) client file name. */
export const FILENAME_METADATA_KEY = 'filename';

/** S3 user-metadata key under which the input object keeps its submission time. */
export const SUBMITTED_AT_METADATA_KEY = 'submitted-at';

/** S3 user-metadata key under which the input object keeps the served model its job names. */
export const MODEL_METADATA_KEY = 'model';

/** S3 user-metadata key under which the input object keeps its job's webhook URL (URI-encoded). */
export const WEBHOOK_METADATA_KEY = 'webhook';

/** S3 user-metadata key under which the input object keeps its job's deadline (ISO 8601). */
export const DEADLINE_METADATA_KEY = 'deadline';

/** S3 user-metadata key under which the input object keeps the batch its job came in with. */
export const BATCH_ID_METADATA_KEY = 'batch-id';

/**
 * S3 user-metadata key under which the input object keeps the reply queue (a name) of the web
 * process waiting for its job: a cancel or an expiry in another process answers that waiter there.
 */
export const REPLY_QUEUE_METADATA_KEY = 'reply-queue';

/** Key of an idempotency record (see core/idempotency) in the output bucket, by its key's digest. */
export function idempotencyKeyFor(digest: string): string {
  return `idempotency/${digest}.json`;
}

/** Prefix of worker heartbeat records in the output bucket. */
export const HEARTBEAT_PREFIX = 'heartbeats/';

/** Key of a worker's heartbeat record (its last sign of life) in the output bucket. */
export function heartbeatKeyFor(workerId: string): string {
  return `${HEARTBEAT_PREFIX}${encodeURIComponent(workerId)}.json`;
}
