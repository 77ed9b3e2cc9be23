import { randomUUID } from 'node:crypto';
import type { ClassificationItem } from '#core/contracts/classification-item.js';
import type { BatchJob } from '#core/storage/batch-store.js';
import { endedItems } from '#web/batches/ended-items.js';

/** Jobs whose endings a test stores by hand, and a record of how often each was read. */
function fakeEndings(count: number) {
  const jobs: BatchJob[] = Array.from({ length: count }, (_, index) => ({
    jobId: randomUUID(),
    filename: `${index}.jpg`,
  }));
  const ended = new Set<string>();
  const reads: string[] = [];
  const readItem = async (job: BatchJob): Promise<ClassificationItem> => {
    reads.push(job.jobId);
    const status = ended.has(job.jobId) ? 'done' : 'queued';
    return { id: job.jobId, filename: job.filename, status, url: `/v1/classifications/${job.jobId}` };
  };
  return { jobs, ended, reads, readItem };
}

describe('endedItems', () => {
  it('yields each job once, as a poll finds it ended, and returns once all have', async () => {
    // Prepare
    const { jobs, ended, readItem } = fakeEndings(3);
    ended.add(jobs[1]!.jobId);
    const seen: string[] = [];

    // Act
    for await (const item of endedItems(jobs, readItem, { intervalMs: 1, signal: new AbortController().signal })) {
      seen.push(item.id);
      if (seen.length === 1) ended.add(jobs[2]!.jobId);
      if (seen.length === 2) ended.add(jobs[0]!.jobId);
    }

    // Assess
    expect(seen).toEqual([jobs[1]!.jobId, jobs[2]!.jobId, jobs[0]!.jobId]);
  });

  it('reads only the jobs still pending on each poll', async () => {
    // Prepare
    const { jobs, ended, reads, readItem } = fakeEndings(2);
    ended.add(jobs[0]!.jobId);
    const iterator = endedItems(jobs, readItem, { intervalMs: 1, signal: new AbortController().signal });

    // Act
    await iterator.next();
    ended.add(jobs[1]!.jobId);
    await iterator.next();
    const last = await iterator.next();

    // Assess
    expect(last.done).toBe(true);
    expect(reads).toEqual([jobs[0]!.jobId, jobs[1]!.jobId, jobs[1]!.jobId]);
  });

  it('stops reading as soon as the client goes away', async () => {
    // Prepare
    const { jobs, reads, readItem } = fakeEndings(2);
    const client = new AbortController();
    const following = (async () => {
      const items = [];
      for await (const item of endedItems(jobs, readItem, { intervalMs: 60_000, signal: client.signal }))
        items.push(item);
      return items;
    })();
    while (reads.length < 2) await new Promise((resolve) => setImmediate(resolve));

    // Act
    client.abort();

    // Assess
    expect(await following).toEqual([]);
    expect(reads).toHaveLength(2);
  });
});
