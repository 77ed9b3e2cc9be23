import { randomUUID } from 'node:crypto';
import type { PinoLogger } from 'nestjs-pino';
import type { ClassificationItem } from '#core/contracts/classification-item.js';
import type { BatchJob, BatchRecord } from '#core/storage/batch-store.js';
import type { BatchEndings } from '#web/batches/batch-endings.js';
import { BatchesService, type BatchEventSink } from '#web/batches/batches.service.js';

/** A batch of two jobs whose endings are read from a map (a job absent from it is queued, or its read fails). */
function world(endings: Record<string, 'done' | 'fail'>) {
  const batch: BatchRecord = {
    version: 1,
    batchId: randomUUID(),
    jobs: [
      { jobId: randomUUID(), filename: 'a.jpg' },
      { jobId: randomUUID(), filename: 'b.jpg' },
    ],
  };
  const stored = new Map(Object.entries(endings).map(([index, ending]) => [batch.jobs[Number(index)]!.jobId, ending]));
  const store = {
    batch: async () => batch,
    item: async (job: BatchJob): Promise<ClassificationItem> => {
      if (stored.get(job.jobId) === 'fail') throw new Error('S3 is down');
      const status = stored.get(job.jobId) === 'done' ? 'done' : 'queued';
      return { id: job.jobId, filename: job.filename, status, url: `/v1/classifications/${job.jobId}` };
    },
  } as unknown as BatchEndings;
  const warnings: unknown[] = [];
  const logger = { warn: (fields: unknown) => void warnings.push(fields) } as unknown as PinoLogger;
  const sent: Array<[string, unknown]> = [];
  const sink: BatchEventSink & { ended: boolean } = {
    signal: new AbortController().signal,
    ended: false,
    send: (event, data) => void sent.push([event, data]),
    end() {
      this.ended = true;
    },
  };
  return { batch, service: new BatchesService(store, logger), sink, sent, warnings };
}

describe('BatchesService', () => {
  it('sends one item per ended job, then the end, then ends the stream', async () => {
    // Prepare
    const { batch, service, sink, sent } = world({ 0: 'done', 1: 'done' });

    // Act
    await service.follow(batch, sink);

    // Assess
    expect(sent.map(([event]) => event)).toEqual(['item', 'item', 'end']);
    expect(sent[2]![1]).toEqual({ id: batch.batchId, items: 2 });
    expect(sink.ended).toBe(true);
  });

  it('ends the stream early, without an end event, when an ending cannot be read', async () => {
    // Prepare
    const { batch, service, sink, sent, warnings } = world({ 0: 'done', 1: 'fail' });

    // Act
    await service.follow(batch, sink);

    // Assess
    expect(sent).toEqual([]);
    expect(sink.ended).toBe(true);
    expect(warnings).toEqual([expect.objectContaining({ batchId: batch.batchId })]);
  });

  it('lists every item of a batch in upload order', async () => {
    // Prepare
    const { batch, service } = world({ 1: 'done' });

    // Act
    const view = await service.view(batch.batchId);

    // Assess
    expect(view.items.map((item) => [item.filename, item.status])).toEqual([
      ['a.jpg', 'queued'],
      ['b.jpg', 'done'],
    ]);
  });
});
