import { classificationUrl, type ClassificationItem } from '#core/contracts/classification-item.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { clientFailure } from '../http/client-failure.js';

/** The API's view of one job: queued until a result record exists, then how it ended. */
export function toClassificationItem(
  jobId: string,
  filename: string,
  record: ResultRecord | undefined,
  options: { withTimings: boolean },
): ClassificationItem {
  const base = { id: jobId, filename, url: classificationUrl(jobId) };
  if (!record) return { ...base, status: 'queued' };
  const extra = {
    model: record.model,
    ...(record.modelVersion === undefined ? {} : { modelVersion: record.modelVersion }),
    ...(options.withTimings ? { timings: record.timings } : {}),
  };
  switch (record.status) {
    case 'done':
      return { ...base, status: 'done', result: record.prediction, ...extra };
    case 'failed':
      return { ...base, status: 'failed', error: clientFailure(record.failure), ...extra };
    default:
      return { ...base, status: record.status, ...extra };
  }
}
