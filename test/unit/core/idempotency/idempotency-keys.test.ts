import { IDEMPOTENCY_WINDOW_MS, IdempotencyKeys } from '#core/idempotency/idempotency-keys.js';
import type { IdempotencyRecord, IdempotentJobs } from '#core/idempotency/idempotency-store.js';
import { silentLogger } from '#core/logging/logger.js';

const JOBS: IdempotentJobs = { jobs: [{ jobId: '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11', filename: 'cat.jpg' }] };

/** An in-memory store with S3's conditional create; the clock is the test's. */
function harness(start = Date.parse('2026-12-01T12:00:00.000Z')) {
  const records = new Map<string, IdempotencyRecord>();
  const clock = { now: start };
  const store = {
    claim: async (digest: string, record: IdempotencyRecord) =>
      records.has(digest) ? false : (records.set(digest, record), true),
    complete: async (digest: string, record: IdempotencyRecord) => void records.set(digest, record),
    read: async (digest: string) => records.get(digest),
    release: async (digest: string) => void records.delete(digest),
  };
  const keys = new IdempotencyKeys({
    store,
    log: silentLogger(),
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  let created = 0;
  const create = async () => (created++, JOBS);
  return { keys, records, clock, create, created: () => created };
}

describe('IdempotencyKeys', () => {
  it('creates once, then replays the same jobs for the same request', async () => {
    // Prepare
    const h = harness();
    // Act
    const first = await h.keys.run('d', 'f1', h.create);
    const again = await h.keys.run('d', 'f1', h.create);
    // Assess
    expect(first).toEqual({ kind: 'created', jobs: JOBS });
    expect(again).toEqual({ kind: 'replayed', jobs: JOBS });
    expect(h.created()).toBe(1);
  });

  it('refuses another request under the same key', async () => {
    // Prepare
    const h = harness();
    await h.keys.run('d', 'f1', h.create);
    // Act
    const other = await h.keys.run('d', 'f2', h.create);
    // Assess
    expect(other).toEqual({ kind: 'mismatch' });
    expect(h.created()).toBe(1);
  });

  it('lets concurrent requests wait for the first one to record its jobs, creating nothing', async () => {
    // Prepare
    const h = harness();
    let finish!: () => void;
    const slowCreate = async () => (await new Promise<void>((resolve) => (finish = resolve)), JOBS);
    const first = h.keys.run('d', 'f1', slowCreate);
    await new Promise((resolve) => setImmediate(resolve));
    // Act
    const second = h.keys.run('d', 'f1', h.create);
    await new Promise((resolve) => setImmediate(resolve));
    finish();
    // Assess
    expect(await first).toEqual({ kind: 'created', jobs: JOBS });
    expect(await second).toEqual({ kind: 'replayed', jobs: JOBS });
    expect(h.created()).toBe(0);
  });

  it('answers in-progress when the first request does not record its jobs in time', async () => {
    // Prepare
    const h = harness();
    h.records.set('d', { version: 1, fingerprint: 'f1', createdAt: new Date(h.clock.now).toISOString() });
    // Act
    const outcome = await h.keys.run('d', 'f1', h.create);
    // Assess
    expect(outcome).toEqual({ kind: 'in-progress' });
    expect(h.created()).toBe(0);
  });

  it('frees the key when creating failed, and after the 24 h window', async () => {
    // Prepare
    const h = harness();
    const failing = async (): Promise<IdempotentJobs> => {
      throw new Error('bucket unreachable');
    };
    // Act
    await expect(h.keys.run('d', 'f1', failing)).rejects.toThrow('bucket unreachable');
    const retried = await h.keys.run('d', 'f1', h.create);
    h.clock.now += IDEMPOTENCY_WINDOW_MS;
    const later = await h.keys.run('d', 'f2', h.create);
    // Assess
    expect(retried.kind).toBe('created');
    expect(later.kind).toBe('created');
    expect(h.created()).toBe(2);
  });
});
