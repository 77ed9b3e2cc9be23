import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import type { Scaler, TickReport } from '#core/scaling/scaler.js';

export interface ControlLoopOptions {
  readonly log: Logger;
  /** Milliseconds this invocation has left (Lambda context). */
  readonly remainingMs: () => number;
  readonly tickMs: number;
  /** Stop this long before the invocation's deadline. */
  readonly safetyMs: number;
  readonly flush: () => Promise<void>;
  /** Work done after each tick beside scaling (settling dead-lettered jobs); a failure is logged. */
  readonly afterTick?: () => Promise<void>;
}

/** What one invocation did. */
export interface ControlLoopSummary {
  readonly ticks: number;
  /** Ticks that threw (logged; the loop went on). */
  readonly failedTicks: number;
  readonly launched: string[];
  readonly terminated: string[];
  readonly lastReason?: string;
}

/**
 * EventBridge runs the scaler once a minute, which is too slow to follow a queue; so one invocation
 * runs short ticks until close to its timeout. Each tick's metrics are flushed before the next.
 */
export async function runControlLoop(
  scaler: Pick<Scaler, 'tick'>,
  options: ControlLoopOptions,
): Promise<ControlLoopSummary> {
  const { log } = options;
  const summary = {
    ticks: 0,
    failedTicks: 0,
    launched: [] as string[],
    terminated: [] as string[],
    lastReason: undefined as string | undefined,
  };
  for (;;) {
    const started = Date.now();
    try {
      const report: TickReport = await scaler.tick();
      summary.launched.push(...report.launched);
      summary.terminated.push(...report.terminated);
      summary.lastReason = report.decision.reason;
    } catch (error) {
      // One failed tick (throttling, no capacity) must not end the invocation's loop.
      summary.failedTicks++;
      log.error({ error: describeError(error) }, 'scaler tick failed');
    }
    await options.flush().catch((error: unknown) => log.error({ error: describeError(error) }, 'metrics flush failed'));
    await options
      .afterTick?.()
      .catch((error: unknown) => log.error({ error: describeError(error) }, 'after-tick work failed'));
    summary.ticks++;
    const wait = Math.max(0, options.tickMs - (Date.now() - started));
    if (options.remainingMs() - wait - options.tickMs < options.safetyMs) return summary;
    await new Promise<void>((resolve) => setTimeout(resolve, wait));
  }
}
