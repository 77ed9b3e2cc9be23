import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import { UsageError } from '../errors.js';

/** Exit statuses of the tools: a finished run that failed its checks is 1, a bad command line 2. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * Runs a tool's `main` and turns whatever it throws into one diagnostic (pino, stderr) and an exit
 * status; the tool's report (tables, answers) is its own, on stdout.
 */
export async function runCli(log: Logger, main: () => Promise<number>): Promise<number> {
  try {
    return await main();
  } catch (error) {
    const usage = error instanceof UsageError;
    log.error({ error: describeError(error) }, usage ? 'bad command line' : 'run failed');
    return usage ? EXIT_USAGE : EXIT_FAILED;
  }
}
