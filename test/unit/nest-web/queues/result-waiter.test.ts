import { jest } from '@jest/globals';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { ResultWaiter } from '#web/queues/result-waiter.service.js';

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

/** The promise, and whether it has settled yet. */
function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  void promise.finally(() => (settled = true));
  return { promise, settled: () => settled };
}

describe('ResultWaiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('returns every result as soon as all arrive, long before the timeout', async () => {
    // Prepare
    const waiter = new ResultWaiter();
    waiter.expect(A);
    waiter.expect(B);
    setTimeout(() => waiter.deliver(record(B)), 10);
    setTimeout(() => waiter.deliver(record(A)), 20);

    // Act
    const wait = tracked(waiter.waitFor([A, B], 10_000));
    await jest.advanceTimersByTimeAsync(20);

    // Assess
    expect(wait.settled()).toBe(true);
    expect([...(await wait.promise).keys()].sort()).toEqual([A, B]);
    expect(waiter.waiting).toBe(0);
  });

  it('keeps a result delivered before anyone waits', async () => {
    // Prepare
    const waiter = new ResultWaiter();
    waiter.expect(A);

    // Act
    const delivered = waiter.deliver(record(A));
    const results = await waiter.waitFor([A], 0);

    // Assess
    expect(delivered).toBe(true);
    expect(results.get(A)?.jobId).toBe(A);
  });

  it('returns what came by the timeout and forgets the rest', async () => {
    // Prepare
    const waiter = new ResultWaiter();
    waiter.expect(A);
    waiter.expect(B);
    waiter.deliver(record(A));

    // Act
    const wait = tracked(waiter.waitFor([A, B], 30));
    await jest.advanceTimersByTimeAsync(29);
    const settledEarly = wait.settled();
    await jest.advanceTimersByTimeAsync(1);

    // Assess
    expect(settledEarly).toBe(false);
    expect([...(await wait.promise).keys()]).toEqual([A]);
    expect(waiter.deliver(record(B))).toBe(false);
  });

  it('hands a result over once and ignores unknown jobs', () => {
    // Prepare
    const waiter = new ResultWaiter();
    waiter.expect(A);

    // Act
    const deliveries = [waiter.deliver(record(A)), waiter.deliver(record(A)), waiter.deliver(record(B))];

    // Assess
    expect(deliveries).toEqual([true, false, false]);
  });

  it('stops waiting when the client goes away', async () => {
    // Prepare
    const waiter = new ResultWaiter();
    waiter.expect(A);
    const client = new AbortController();
    setTimeout(() => client.abort(), 10);

    // Act
    const wait = tracked(waiter.waitFor([A], 60_000, client.signal));
    await jest.advanceTimersByTimeAsync(10);

    // Assess
    expect(wait.settled()).toBe(true);
    expect((await wait.promise).size).toBe(0);
  });

  it('answers every waiting request at once when the app shuts down', async () => {
    // Prepare
    const waiter = new ResultWaiter();
    waiter.expect(A);
    const wait = tracked(waiter.waitFor([A], 60_000));

    // Act
    waiter.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(0);

    // Assess
    expect(wait.settled()).toBe(true);
    expect((await wait.promise).size).toBe(0);
  });
});
