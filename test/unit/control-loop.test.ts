import { createLogger } from '#core/logging/logger.js';
import type { TickReport } from '#core/scaling/scaler.js';
import { runControlLoop } from '#lambdas/scaler/control-loop.js';

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
    reason: 'r',
    warnings: [],
  },
});

describe('runControlLoop', () => {
  it('ticks until the invocation is close to its timeout, and survives a failed tick', async () => {
    // Prepare: the second tick throws (say EC2 throttling); remaining time runs down 1 s per tick.
    const outcomes: Array<() => Promise<TickReport>> = [
      async () => report(['i-1']),
      async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' });
      },
      async () => report(['i-2']),
    ];
    let tick = 0;
    let remaining = 10_000;
    const logged: string[] = [];
    let flushes = 0;
    // Act
    const summary = await runControlLoop(
      { tick: () => outcomes[Math.min(tick++, outcomes.length - 1)]!() },
      {
        remainingMs: () => remaining,
        tickMs: 1_000,
        safetyMs: 3_000,
        flush: async () => void flushes++,
        sleep: async (ms) => void (remaining -= Math.max(ms, 1_000)),
        log: createLogger('test', (line) => logged.push(JSON.parse(line).message)),
      },
    );
    // Assess
    expect(summary.ticks).toBe(flushes);
    expect(summary.ticks).toBeGreaterThanOrEqual(3);
    expect(summary.failedTicks).toBe(1);
    expect(summary.launched.slice(0, 2)).toEqual(['i-1', 'i-2']);
    expect(logged).toContain('scaler tick failed');
  });
});
