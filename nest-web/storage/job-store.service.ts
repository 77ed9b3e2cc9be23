import { createReadStream } from 'node:fs';
import { parseResultRecord, type ResultRecord } from '#core/contracts/result-record.js';
import type { JobInputDetails, JobStore } from '#core/storage/job-store.js';
import { UnreadableResultError } from '../errors.js';

/** What the buckets know about a job. */
export type StoredJob =
  | { readonly state: 'finished'; readonly record: ResultRecord }
  | { readonly state: 'queued'; readonly filename: string; readonly submittedAt?: string };

/** The web tier's side of core's JobStore: uploads in, a job's state read back by its id. */
export class JobStoreService {
  constructor(private readonly store: JobStore) {}

  /**
   * Stores a spooled upload under its job id, streamed from its file; the display name,
   * submission time and job details go in its metadata.
   */
  async putInputFile(
    jobId: string,
    input: { readonly filename: string; readonly mimeType: string; readonly path: string },
    submittedAt: string,
    details: JobInputDetails = {},
  ): Promise<void> {
    const body = createReadStream(input.path);
    try {
      const stream = { filename: input.filename, mimeType: input.mimeType, body };
      await this.store.putInputStream(jobId, stream, submittedAt, details);
    } finally {
      body.destroy();
    }
  }

  /** Stores a job's ending unless it has one (the first ending stands). */
  async putResult(record: ResultRecord): Promise<void> {
    await this.store.putResult(record);
  }

  /** Stores a job's model-ready pixels beside its upload (`GLIMPSE_PREPROCESS_AT=web`). */
  async putPixels(jobId: string, rgb: Uint8Array): Promise<void> {
    await this.store.putPixels(jobId, rgb);
  }

  /** The job's result if stored, else its upload's details if stored, else undefined (unknown job). */
  async find(jobId: string): Promise<StoredJob | undefined> {
    const body = await this.store.readResult(jobId);
    if (body !== undefined) return { state: 'finished', record: parseStoredResult(jobId, body) };
    const input = await this.store.readInputInfo(jobId);
    return input && { state: 'queued', ...input };
  }
}

function parseStoredResult(jobId: string, body: string): ResultRecord {
  try {
    return parseResultRecord(body);
  } catch (error) {
    throw new UnreadableResultError(jobId, { cause: error });
  }
}
