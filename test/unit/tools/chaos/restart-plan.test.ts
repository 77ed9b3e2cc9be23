import { jest } from '@jest/globals';
import type { Restart } from '#tools/chaos/chaos-target.js';
import { RestartPlan } from '#tools/chaos/restart-plan.js';

const RESTART: Restart = { atMs: 1, downMs: 2, workersBackMs: 3 };

describe('RestartPlan', () => {
  afterEach(() => jest.useRealTimers());

  it('restarts once, when the N-th upload is sent', async () => {
    // Prepare
    const restart = jest.fn(async () => RESTART);
    const plan = new RestartPlan({ afterUploads: 3 }, restart);

    // Act
    plan.start();
    for (let n = 0; n < 10; n++) plan.countUpload();

    // Assess
    expect(restart).toHaveBeenCalledTimes(1);
    expect(await plan.finish()).toEqual([RESTART]);
  });

  it('restarts S seconds after the start, unless the burst finished sooner', async () => {
    // Prepare
    jest.useFakeTimers();
    const reached = new RestartPlan({ afterSeconds: 2 }, async () => RESTART);
    const missed = jest.fn(async () => RESTART);
    const notReached = new RestartPlan({ afterSeconds: 2 }, missed);

    // Act
    reached.start();
    notReached.start();
    await jest.advanceTimersByTimeAsync(1000);
    const none = await notReached.finish();
    await jest.advanceTimersByTimeAsync(1500);

    // Assess
    expect(await reached.finish()).toEqual([RESTART]);
    expect(none).toEqual([]);
    expect(missed).not.toHaveBeenCalled();
  });

  it('hands a failed restart to finish(), not to the unhandled-rejection handler', async () => {
    const plan = new RestartPlan({ afterUploads: 1 }, () => Promise.reject(new Error('no start')));

    plan.countUpload();
    await new Promise((resolve) => setImmediate(resolve));

    await expect(plan.finish()).rejects.toThrow('no start');
  });

  it('never restarts without a point', async () => {
    const restart = jest.fn(async () => RESTART);
    const plan = new RestartPlan(undefined, restart);

    plan.start();
    plan.countUpload();

    expect(await plan.finish()).toEqual([]);
    expect(restart).not.toHaveBeenCalled();
  });
});
