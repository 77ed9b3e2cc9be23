import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isMissingObjectError } from '#core/aws/s3-errors.js';
import { resultKeyFor } from '#core/storage/object-keys.js';

/** Reads job inputs and looks for results stored by an earlier attempt. */
export class JobStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly inputBucket: string,
    private readonly outputBucket: string,
  ) {}

  /** The image bytes, or undefined when the input object does not exist. */
  async readInput(key: string): Promise<Uint8Array | undefined> {
    return (await this.getIfPresent(this.inputBucket, key))?.transformToByteArray();
  }

  /** The stored result body of a job finished by an earlier attempt, if any. */
  async readStoredResult(jobId: string): Promise<string | undefined> {
    return (await this.getIfPresent(this.outputBucket, resultKeyFor(jobId)))?.transformToString();
  }

  private async getIfPresent(bucket: string, key: string) {
    try {
      return (await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body;
    } catch (error) {
      if (isMissingObjectError(error)) return undefined;
      throw error;
    }
  }
}
