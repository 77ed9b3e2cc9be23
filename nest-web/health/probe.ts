import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { describeError } from '#core/errors.js';

/** `key` is up when `call` resolves, down with the error's one-line description when it throws. */
export async function probe<Key extends string>(
  indicators: HealthIndicatorService,
  key: Key,
  call: () => Promise<unknown>,
): Promise<HealthIndicatorResult<Key>> {
  const session = indicators.check(key);
  try {
    await call();
    return session.up();
  } catch (error) {
    return session.down({ message: describeError(error) });
  }
}
