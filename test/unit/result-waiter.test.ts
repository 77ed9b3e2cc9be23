import type { ResultRecord } from '#core/contracts/result-record.js';
import { ResultWaiter } from '#web/jobs/result-waiter.service.js';

const record = (jobId: string): ResultRecord => ({
  version: 1,
  jobId,
  filename: `${jobId}.jpg`,
  model: 'm',
  workerId: 'w',
  status: 'failed',
  failure: { code: 'undecodable_image', message: 'x' },
  timings: {
    submittedAt: '2026-11-22T12:00:00.000Z',
    completedAt: '2026-11-22T12:00:01.000Z',
    queueWaitMs: 0,
    downloadMs: 0,
    preprocessMs: 0,
    inferenceMs: 0,
    batchSize: 0,
    totalMs: 0,
  },
});

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('ResultWaiter', () => {
  it('returns every result once all arrive, before the timeout', async () => {
    const waiter = new ResultWaiter();
    waiter.expect(A);
    waiter.expect(B);
    const started = Date.now();
    setTimeout(() => waiter.deliver(record(B)), 10);
    setTimeout(() => waiter.deliver(record(A)), 20);
    const results = await waiter.waitFor([A, B], 10_000);
    expect([...results.keys()].sort()).toEqual([A, B]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(waiter.waiting).toBe(0);
  });

  it('keeps a result delivered before anyone waits', async () => {
    const waiter = new ResultWaiter();
    waiter.expect(A);
    expect(waiter.deliver(record(A))).toBe(true);
    expect((await waiter.waitFor([A], 10)).get(A)?.jobId).toBe(A);
  });

  it('returns what came by the timeout and forgets the rest', async () => {
    const waiter = new ResultWaiter();
    waiter.expect(A);
    waiter.expect(B);
    waiter.deliver(record(A));
    const results = await waiter.waitFor([A, B], 30);
    expect([...results.keys()]).toEqual([A]);
    expect(waiter.deliver(record(B))).toBe(false);
  });

  it('hands a result over once and ignores unknown jobs', () => {
    const waiter = new ResultWaiter();
    waiter.expect(A);
    expect(waiter.deliver(record(A))).toBe(true);
    expect(waiter.deliver(record(A))).toBe(false);
    expect(waiter.deliver(record(B))).toBe(false);
  });

  it('stops waiting when the client goes away', async () => {
    const waiter = new ResultWaiter();
    waiter.expect(A);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const started = Date.now();
    expect((await waiter.waitFor([A], 60_000, controller.signal)).size).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
