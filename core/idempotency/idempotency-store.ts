import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { isPreconditionFailedError, unlessMissing } from '../aws/s3-errors.js';
import { idempotencyKeyFor } from '../storage/object-keys.js';

/** The jobs a request created, as an idempotency record keeps them for its retries. */
export const idempotentJobsSchema = z.object({
  jobs: z.array(z.object({ jobId: z.uuid(), filename: z.string() })).min(1),
  batchId: z.uuid().optional(),
});
export type IdempotentJobs = z.infer<typeof idempotentJobsSchema>;

/** One idempotency key's record: the request's fingerprint, and its jobs once they exist. */
export const idempotencyRecordSchema = z.object({
  version: z.literal(1),
  fingerprint: z.string(),
  createdAt: z.iso.datetime(),
  /** Absent while the first request is still creating its jobs. */
  created: idempotentJobsSchema.optional(),
});
export type IdempotencyRecord = z.infer<typeof idempotencyRecordSchema>;

/** Whose key it is: the same key from two callers is two keys. */
export function idempotencyDigest(caller: string, key: string): string {
  return createHash('sha256').update(`${caller.length}:${caller}`).update(key).digest('hex');
}

/**
 * Idempotency records in the output bucket (`idempotency/<digest>.json`). The first request under a
 * key claims it with a conditional create, so of any number of concurrent requests exactly one
 * creates jobs; it then records their ids for the others and for later retries.
 */
export class IdempotencyStore {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: { readonly outputBucket: string },
  ) {}

  /** Creates the record if no record has this digest; false when one exists. */
  async claim(digest: string, record: IdempotencyRecord): Promise<boolean> {
    try {
      await this.put(digest, record, true);
      return true;
    } catch (error) {
      if (isPreconditionFailedError(error)) return false;
      throw error;
    }
  }

  /** Replaces the claimed record with the jobs it created. */
  async complete(digest: string, record: IdempotencyRecord): Promise<void> {
    await this.put(digest, record, false);
  }

  async read(digest: string): Promise<IdempotencyRecord | undefined> {
    const object = await unlessMissing(
      this.s3.send(new GetObjectCommand({ Bucket: this.buckets.outputBucket, Key: idempotencyKeyFor(digest) })),
    );
    if (!object?.Body) return undefined;
    return idempotencyRecordSchema.parse(JSON.parse(await object.Body.transformToString()));
  }

  /** Frees a key: its request created nothing, or its record is older than the window. */
  async release(digest: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.buckets.outputBucket, Key: idempotencyKeyFor(digest) }));
  }

  private async put(digest: string, record: IdempotencyRecord, onlyIfAbsent: boolean): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.buckets.outputBucket,
        Key: idempotencyKeyFor(digest),
        Body: JSON.stringify(record),
        ContentType: 'application/json',
        ...(onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
      }),
    );
  }
}
