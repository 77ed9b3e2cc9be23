import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';

/**
 * Runs `task` now and then every `intervalMs`, never two at once; a failure is logged as `what
 * failed` and the next run goes ahead. The timer does not keep the process alive. Returns it.
 */
export function runPeriodically(
  task: () => Promise<unknown>,
  intervalMs: number,
  what: string,
  log: Logger,
): NodeJS.Timeout {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    task()
      .catch((error: unknown) => log.warn({ error: describeError(error) }, `${what} failed`))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return timer;
}
