import { recordingLogger } from '../../../support/logs.js';
import { ToolError, UsageError } from '#tools/errors.js';
import { EXIT_FAILED, EXIT_USAGE, runCli } from '#tools/shared/cli.js';

describe('runCli', () => {
  it("returns main's exit status and logs nothing when it finishes", async () => {
    const { logger, records } = recordingLogger();

    expect(await runCli(logger, async () => EXIT_FAILED)).toBe(EXIT_FAILED);
    expect(records).toEqual([]);
  });

  it.each([
    ['a bad command line', new UsageError('--runs must be a positive number'), EXIT_USAGE, 'bad command line'],
    ['any other failure', new ToolError('disk full', { cause: new Error('ENOSPC') }), EXIT_FAILED, 'run failed'],
  ])('turns %s into one error record and its exit status', async (_name, error, status, msg) => {
    const { logger, records } = recordingLogger();

    const exit = await runCli(logger, async () => {
      throw error;
    });

    expect(exit).toBe(status);
    expect(records).toEqual([expect.objectContaining({ level: 'error', msg, error: expect.any(String) })]);
    expect(records[0]!.error).toBe(
      error instanceof UsageError
        ? 'UsageError: --runs must be a positive number'
        : 'ToolError: disk full: caused by Error: ENOSPC',
    );
  });
});
