import { BadGatewayException, Inject, Injectable } from '@nestjs/common';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isMissingObjectError } from '#core/aws/s3-errors.js';
import { parseResultRecord, type ResultRecord } from '#core/contracts/result-record.js';
import type { WebConfig } from '#core/config/web-config.js';
import {
  FILENAME_METADATA_KEY,
  inputKeyFor,
  resultKeyFor,
  SUBMITTED_AT_METADATA_KEY,
} from '#core/storage/object-keys.js';
import { S3_CLIENT, WEB_CONFIG } from '../aws/tokens.js';

/** What the buckets know about a job. */
export type StoredJob =
  | { readonly state: 'finished'; readonly record: ResultRecord }
  | { readonly state: 'queued'; readonly filename: string; readonly submittedAt?: string };

/** Reads and writes the web tier's side of the buckets: uploads in, result records out. */
@Injectable()
export class JobStore {
  constructor(
    @Inject(S3_CLIENT) private readonly s3: S3Client,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
  ) {}

  /** Stores an upload under a key derived from the job id; the display name goes in metadata. */
  async putInput(
    jobId: string,
    image: { filename: string; mimeType: string; bytes: Buffer },
    submittedAt: string,
  ): Promise<string> {
    const key = inputKeyFor(jobId);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.config.names.inputBucket,
        Key: key,
        Body: image.bytes,
        ContentType: image.mimeType,
        Metadata: {
          [FILENAME_METADATA_KEY]: encodeURIComponent(image.filename),
          [SUBMITTED_AT_METADATA_KEY]: submittedAt,
        },
      }),
    );
    return key;
  }

  /** The job's result if stored, else its upload if stored, else undefined (unknown job). */
  async find(jobId: string): Promise<StoredJob | undefined> {
    try {
      const { Body } = await this.s3.send(
        new GetObjectCommand({ Bucket: this.config.names.outputBucket, Key: resultKeyFor(jobId) }),
      );
      const body = await Body?.transformToString();
      try {
        return { state: 'finished', record: parseResultRecord(body) };
      } catch (error) {
        throw new BadGatewayException(`the stored result of ${jobId} is unreadable: ${(error as Error).message}`);
      }
    } catch (error) {
      if (!isMissingObjectError(error)) throw error;
    }
    try {
      const { Metadata } = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.config.names.inputBucket, Key: inputKeyFor(jobId) }),
      );
      const encoded = Metadata?.[FILENAME_METADATA_KEY];
      return {
        state: 'queued',
        filename: encoded ? safeDecode(encoded) : 'upload',
        submittedAt: Metadata?.[SUBMITTED_AT_METADATA_KEY],
      };
    } catch (error) {
      if (isMissingObjectError(error)) return undefined;
      throw error;
    }
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
