import { runningStack } from '#tools/chaos/chaos-target.js';
import { UsageError } from '#tools/errors.js';

describe('runningStack (a stack at --url)', () => {
  it('kills nothing without a stack process, and is never restarted or stopped by the tool', async () => {
    // Act
    const target = await runningStack('http://127.0.0.1:3000');

    // Assess
    expect(await target.workerPids()).toEqual([]);
    await expect(target.restart(() => 0)).rejects.toThrow(UsageError);
    await expect(target.stop()).resolves.toBeUndefined();
  });

  it('refuses a process that is not a local stack, whose children are not workers', async () => {
    await expect(runningStack('http://127.0.0.1:3000', process.pid)).rejects.toThrow('is not a local stack');
  });

  it('refuses a process that does not exist', async () => {
    await expect(runningStack('http://127.0.0.1:3000', 2 ** 30)).rejects.toThrow('no such process here');
  });
});
