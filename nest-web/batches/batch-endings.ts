import type { ClassificationItem } from '#core/contracts/classification-item.js';
import { parseResultRecord, type ResultRecord } from '#core/contracts/result-record.js';
import type { BatchJob, BatchRecord, BatchStore } from '#core/storage/batch-store.js';
import type { JobStore } from '#core/storage/job-store.js';
import { toClassificationItem } from '../classifications/classification-view.js';
import { BatchNotFoundError, UnreadableResultError } from '../errors.js';

/**
 * A batch and its jobs' endings, read from the output bucket alone: any web process answers for a
 * batch whatever process submitted it, and across restarts.
 */
export class BatchEndings {
  constructor(
    private readonly batches: BatchStore,
    private readonly jobs: JobStore,
  ) {}

  /** The batch's record; {@link BatchNotFoundError} when no batch has this id. */
  async batch(batchId: string): Promise<BatchRecord> {
    const batch = await this.batches.read(batchId);
    if (!batch) throw new BatchNotFoundError(batchId);
    return batch;
  }

  /** One job of a batch as the API shows it (with timings once it ended): `queued` until its ending is stored. */
  async item(job: BatchJob): Promise<ClassificationItem> {
    const record = await this.ending(job.jobId);
    return toClassificationItem(job.jobId, record?.filename ?? job.filename, record, { withTimings: true });
  }

  private async ending(jobId: string): Promise<ResultRecord | undefined> {
    const body = await this.jobs.readResult(jobId);
    if (body === undefined) return undefined;
    try {
      return parseResultRecord(body);
    } catch (error) {
      throw new UnreadableResultError(jobId, { cause: error });
    }
  }
}
