import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { PinoLogger } from 'nestjs-pino';
import { describeError } from '#core/errors.js';

/** What a failed probe says: `reason` in the report (which anyone may read), the error itself in the log. */
export interface ProbeFailure {
  readonly reason: string;
  readonly logger: PinoLogger;
}

/** `key` is up when `call` resolves, down with `failure.reason` when it throws. */
export async function probe<Key extends string>(
  indicators: HealthIndicatorService,
  key: Key,
  call: () => Promise<unknown>,
  failure: ProbeFailure,
): Promise<HealthIndicatorResult<Key>> {
  const session = indicators.check(key);
  try {
    await call();
    return session.up();
  } catch (error) {
    failure.logger.warn({ check: key, error: describeError(error) }, `health check failed: ${failure.reason}`);
    return session.down({ message: failure.reason });
  }
}
