import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import type { Sighting, UploadRecord, WebClient } from './upload-flows.js';

/** Reads of jobs in flight during the check. */
const CHECK_CONCURRENCY = 10;

/**
 * After the burst, every job with an id is read once more by id (`GET`, from the buckets): a result
 * stored again since its answer (classified twice) differs from what the upload was told, and a
 * lost upload's job may have finished late. A job that cannot be read adds no sighting.
 */
export async function checkJobs(client: WebClient, records: readonly UploadRecord[]): Promise<Sighting[]> {
  const withJob = records.filter((record) => record.jobId !== undefined);
  const sightings = await mapWithLimit(withJob, CHECK_CONCURRENCY, async (record) => {
    const reply = await client.read(record.jobId!);
    return reply.kind === 'answer' && reply.status === 200 && reply.item
      ? [{ upload: record.upload, item: reply.item, via: 'check' as const }]
      : [];
  });
  return sightings.flat();
}
