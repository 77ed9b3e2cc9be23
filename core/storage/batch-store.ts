import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { unlessMissing } from '../aws/s3-errors.js';

/** One job of a batch, as its request submitted it. */
export const batchJobSchema = z.object({
  jobId: z.uuid(),
  filename: z.string(),
});
export type BatchJob = z.infer<typeof batchJobSchema>;

/** A request's several jobs, in upload order: what `GET /v1/batches/:id` and its event stream read. */
export const batchRecordSchema = z.object({
  version: z.literal(1),
  batchId: z.uuid(),
  jobs: z.array(batchJobSchema).min(1),
});
export type BatchRecord = z.infer<typeof batchRecordSchema>;

/** Key of a batch's record in the output bucket. */
export function batchKeyFor(batchId: string): string {
  return `batches/${batchId}.json`;
}

/**
 * Batches in the output bucket: the web tier writes one record per multi-file request when it
 * submits the jobs, and any web process reads it back (a batch outlives the process that made it).
 */
export class BatchStore {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: { readonly outputBucket: string },
  ) {}

  /** Stores a batch's jobs, in upload order. */
  async put(batchId: string, jobs: ReadonlyArray<BatchJob>): Promise<void> {
    const record: BatchRecord = { version: 1, batchId, jobs: jobs.map(({ jobId, filename }) => ({ jobId, filename })) };
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.buckets.outputBucket,
        Key: batchKeyFor(batchId),
        Body: JSON.stringify(record),
        ContentType: 'application/json',
      }),
    );
  }

  /** A batch's record; `undefined` when no batch has this id. */
  async read(batchId: string): Promise<BatchRecord | undefined> {
    const object = await unlessMissing(
      this.s3.send(new GetObjectCommand({ Bucket: this.buckets.outputBucket, Key: batchKeyFor(batchId) })),
    );
    if (!object?.Body) return undefined;
    return batchRecordSchema.parse(JSON.parse(await object.Body.transformToString()));
  }
}
