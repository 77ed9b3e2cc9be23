import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isPreconditionFailedError, unlessMissing } from '../aws/s3-errors.js';
import type { ResultRecord } from '../contracts/result-record.js';
import {
  BATCH_ID_METADATA_KEY,
  DEADLINE_METADATA_KEY,
  FILENAME_METADATA_KEY,
  inputKeyFor,
  MODEL_METADATA_KEY,
  pixelsKeyFor,
  REPLY_QUEUE_METADATA_KEY,
  resultKeyFor,
  SUBMITTED_AT_METADATA_KEY,
  WEBHOOK_METADATA_KEY,
} from './object-keys.js';

/** An upload as the web tier stores it. */
export interface JobInput {
  /** The sanitised display name the client gave the file. */
  readonly filename: string;
  readonly mimeType: string;
  readonly bytes: Uint8Array;
}

/** An upload to store from a stream (a file the web tier spooled), never held whole in memory. */
export interface JobInputStream {
  /** The sanitised display name the client gave the file. */
  readonly filename: string;
  readonly mimeType: string;
  readonly body: Readable;
}

/** S3's smallest multipart part: a streamed upload buffers at most one part at a time. */
const STREAM_PART_BYTES = 5 * 1024 * 1024;

/** The job's one stored result body, and whether it is the record just put (else an earlier attempt's). */
export interface StoredResultBody {
  readonly body: string;
  readonly first: boolean;
}

/**
 * What the web tier keeps about a job on its upload besides its name and time: what ends the job
 * early (a cancel, an expiry) needs to know without the job message.
 */
export interface JobInputDetails {
  /** The served model the job names. */
  readonly model?: string;
  /** Where the job's ending is POSTed (core/webhooks). */
  readonly webhook?: string;
  /** When the job expires if not started (ISO 8601). */
  readonly deadline?: string;
  /** The batch (multi-file request) the job came in with. */
  readonly batchId?: string;
  /** The reply queue (a name) of the web process waiting for the job, if one waits. */
  readonly replyQueue?: string;
}

/** What an input object's metadata says about its job. */
export interface JobInputInfo extends JobInputDetails {
  readonly filename: string;
  readonly submittedAt?: string;
}

/** Metadata keys of {@link JobInputDetails}; the webhook URL is URI-encoded, like the file name. */
const DETAIL_KEYS = {
  model: MODEL_METADATA_KEY,
  webhook: WEBHOOK_METADATA_KEY,
  deadline: DEADLINE_METADATA_KEY,
  batchId: BATCH_ID_METADATA_KEY,
  replyQueue: REPLY_QUEUE_METADATA_KEY,
} as const satisfies Record<keyof JobInputDetails, string>;

/**
 * The one S3 store of both tiers: uploads in the input bucket and result records in the output
 * bucket, each under a key derived from the job id alone. Absent objects read as `undefined`.
 */
export class JobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: { readonly inputBucket: string; readonly outputBucket: string },
  ) {}

  /** Stores an upload; the display name, submission time and `details` go in its metadata. */
  async putInput(jobId: string, input: JobInput, submittedAt: string, details: JobInputDetails = {}): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ ...this.inputObject(jobId, input, submittedAt, details), Body: input.bytes }),
    );
  }

  /**
   * Stores an upload from a stream of unknown length, as {@link putInput} does: one PutObject for a
   * body within one part, a multipart upload (aborted on failure) above.
   */
  async putInputStream(
    jobId: string,
    input: JobInputStream,
    submittedAt: string,
    details: JobInputDetails = {},
  ): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { ...this.inputObject(jobId, input, submittedAt, details), Body: input.body },
      partSize: STREAM_PART_BYTES,
      queueSize: 1,
    });
    await upload.done();
  }

  private inputObject(
    jobId: string,
    input: Pick<JobInput, 'filename' | 'mimeType'>,
    submittedAt: string,
    details: JobInputDetails,
  ): PutObjectCommandInput {
    const metadata: Record<string, string> = {
      [FILENAME_METADATA_KEY]: encodeURIComponent(input.filename),
      [SUBMITTED_AT_METADATA_KEY]: submittedAt,
    };
    for (const [field, key] of Object.entries(DETAIL_KEYS)) {
      const value = details[field as keyof JobInputDetails];
      if (value !== undefined) metadata[key] = encodeURIComponent(value);
    }
    return {
      Bucket: this.buckets.inputBucket,
      Key: inputKeyFor(jobId),
      ContentType: input.mimeType,
      Metadata: metadata,
    };
  }

  /**
   * Deletes a job's upload and pixels: a job ended early (canceled, expired) is never classified,
   * and a worker that receives it later finds no input and answers the stored ending.
   */
  async deleteInput(jobId: string): Promise<void> {
    const bucket = this.buckets.inputBucket;
    await Promise.all(
      [inputKeyFor(jobId), pixelsKeyFor(jobId)].map((key) =>
        this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
      ),
    );
  }

  /** The uploaded bytes of a job. */
  async readInput(jobId: string): Promise<Uint8Array | undefined> {
    const body = await this.getIfPresent(this.buckets.inputBucket, inputKeyFor(jobId));
    return body?.transformToByteArray();
  }

  /** Stores a job's model-ready pixels (RGB bytes) beside its upload. */
  async putPixels(jobId: string, rgb: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.buckets.inputBucket,
        Key: pixelsKeyFor(jobId),
        Body: rgb,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  /** A job's model-ready pixels, if the web tier stored them. */
  async readPixels(jobId: string): Promise<Uint8Array | undefined> {
    const body = await this.getIfPresent(this.buckets.inputBucket, pixelsKeyFor(jobId));
    return body?.transformToByteArray();
  }

  /** The metadata of a job's upload, without its bytes. */
  async readInputInfo(jobId: string): Promise<JobInputInfo | undefined> {
    const head = await unlessMissing(
      this.s3.send(new HeadObjectCommand({ Bucket: this.buckets.inputBucket, Key: inputKeyFor(jobId) })),
    );
    if (!head) return undefined;
    const metadata = head.Metadata ?? {};
    const encoded = metadata[FILENAME_METADATA_KEY];
    const details: Record<string, string> = {};
    for (const [field, key] of Object.entries(DETAIL_KEYS)) {
      const value = metadata[key];
      if (value !== undefined) details[field] = safeDecode(value);
    }
    return {
      filename: encoded ? safeDecode(encoded) : 'upload',
      submittedAt: metadata[SUBMITTED_AT_METADATA_KEY],
      ...details,
    };
  }

  /**
   * Stores a job's result record, once: the write is conditional (`If-None-Match: *`), so the first
   * attempt's result is the job's result for good, and an attempt that finishes later (a redelivery
   * racing a slow worker) gets that one back instead of overwriting it.
   */
  async putResult(record: ResultRecord): Promise<StoredResultBody> {
    const body = JSON.stringify(record);
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.buckets.outputBucket,
          Key: resultKeyFor(record.jobId),
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
      return { body, first: true };
    } catch (error) {
      if (!isPreconditionFailedError(error)) throw error;
      const stored = await this.readResult(record.jobId);
      if (stored === undefined) throw error;
      return { body: stored, first: false };
    }
  }

  /** The stored result body of a job, unparsed. */
  async readResult(jobId: string): Promise<string | undefined> {
    const body = await this.getIfPresent(this.buckets.outputBucket, resultKeyFor(jobId));
    return body?.transformToString();
  }

  private async getIfPresent(bucket: string, key: string) {
    return (await unlessMissing(this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))))?.Body;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
