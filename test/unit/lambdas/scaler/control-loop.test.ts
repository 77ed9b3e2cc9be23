import { jest } from '@jest/globals';
import type { TickReport } from '#core/scaling/scaler.js';
import { runControlLoop } from '#lambdas/scaler/control-loop.js';
import { recordingLogger } from '../../../support/logs.js';

const report = (launched: string[]): TickReport => ({
  at: 0,
  launched,
  terminated: [],
  decision: {
    desired: 1,
    launch: launched.length,
    terminate: [],
    backlog: 1,
    running: 0,
    pending: 0,
    reason: `launch ${launched.length}`,
    warnings: [],
  },
});

/** A Lambda context's remaining time: a deadline on the (fake) clock. */
const deadlineIn = (ms: number) => {
  const deadline = Date.now() + ms;
  return () => deadline - Date.now();
};

describe('runControlLoop', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('ticks every tickMs until the invocation is close to its timeout, and survives a failed tick', async () => {
    // Prepare: the second tick throws (say EC2 throttling); the invocation has 10 s.
    const outcomes: Array<() => Promise<TickReport>> = [
      async () => report(['i-1']),
      async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' });
      },
      async () => report(['i-2']),
    ];
    let tick = 0;
    let flushes = 0;
    const { logger, records } = recordingLogger();
    // Act
    const loop = runControlLoop(
      { tick: () => outcomes[Math.min(tick++, outcomes.length - 1)]!() },
      {
        remainingMs: deadlineIn(10_000),
        tickMs: 1_000,
        safetyMs: 3_000,
        flush: async () => void flushes++,
        log: logger,
      },
    );
    await jest.runAllTimersAsync();
    const summary = await loop;
    // Assess: ticks at 0, 1, …, 6 s; after the one at 6 s the next would end within the safety margin.
    expect(summary.ticks).toBe(7);
    expect(flushes).toBe(7);
    expect(summary.failedTicks).toBe(1);
    expect(summary.launched).toEqual(['i-1', 'i-2', 'i-2', 'i-2', 'i-2', 'i-2']);
    expect(summary.lastReason).toBe('launch 1');
    expect(records).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'scaler tick failed',
        error: 'RequestLimitExceeded: Rate exceeded',
      }),
    );
  });

  it('runs exactly one tick when the invocation has no time left (a nudge)', async () => {
    // Prepare
    const tick = jest.fn(async () => report([]));
    // Act
    const summary = await runControlLoop(
      { tick },
      {
        remainingMs: () => 0,
        tickMs: 1_000,
        safetyMs: 3_000,
        flush: async () => undefined,
        log: recordingLogger().logger,
      },
    );
    // Assess
    expect(tick).toHaveBeenCalledTimes(1);
    expect(summary).toMatchObject({ ticks: 1, failedTicks: 0, launched: [], terminated: [] });
  });

  it('logs a failed metrics flush and goes on ticking', async () => {
    // Prepare
    const { logger, records } = recordingLogger();
    // Act
    const loop = runControlLoop(
      { tick: async () => report([]) },
      {
        remainingMs: deadlineIn(5_000),
        tickMs: 1_000,
        safetyMs: 3_000,
        flush: () => Promise.reject(new Error('PutMetricData throttled')),
        log: logger,
      },
    );
    await jest.runAllTimersAsync();
    const summary = await loop;
    // Assess
    expect(summary.ticks).toBe(2);
    expect(records.filter((record) => record.msg === 'metrics flush failed')).toHaveLength(2);
    expect(records[0]).toMatchObject({ level: 'error', error: 'Error: PutMetricData throttled' });
  });
});
