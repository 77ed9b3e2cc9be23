import { jest } from '@jest/globals';
import { WorkerKiller, type KillerDeps } from '#tools/chaos/worker-killer.js';

function fakeDeps(pids: number[], random = 0.6) {
  const killed: number[] = [];
  const deps: KillerDeps = {
    workerPids: async () => [...pids],
    kill: (pid) => {
      if (!pids.includes(pid)) throw new Error('ESRCH');
      killed.push(pid);
      pids.splice(pids.indexOf(pid), 1);
    },
    random: () => random,
    now: () => 1234,
  };
  return { deps, killed };
}

describe('WorkerKiller', () => {
  afterEach(() => jest.useRealTimers());

  it('kills the live worker chance picks, and records when', async () => {
    // Prepare
    const { deps, killed } = fakeDeps([11, 12, 13]);
    const killer = new WorkerKiller(2000, deps);

    // Act
    const done = await killer.killOne();

    // Assess
    expect(done).toBe(true);
    expect(killed).toEqual([12]);
    expect(killer.kills).toEqual([{ atMs: 1234, pid: 12 }]);
  });

  it('counts a tick with no worker, or whose worker is already gone, as skipped', async () => {
    // Prepare
    const none = new WorkerKiller(2000, fakeDeps([]).deps);
    const { deps } = fakeDeps([11]);
    const gone = new WorkerKiller(2000, {
      ...deps,
      kill: () => {
        throw new Error('ESRCH');
      },
    });

    // Act, Assess
    expect([await none.killOne(), await gone.killOne()]).toEqual([false, false]);
    expect([none.skipped, gone.skipped, none.kills.length + gone.kills.length]).toEqual([1, 1, 0]);
  });

  it('kills half an interval in, then every interval while running, not while paused, never after stop', async () => {
    // Prepare
    jest.useFakeTimers();
    const { deps, killed } = fakeDeps([1, 2, 3, 4, 5, 6, 7], 0);
    const killer = new WorkerKiller(1000, deps);

    // Act: ticks at 0.5, 1.5, 2.5 s; paused over 3.5–5.5 s; a tick at 6.5 s; stopped at 7 s.
    killer.start();
    await jest.advanceTimersByTimeAsync(3000);
    await killer.pause();
    await jest.advanceTimersByTimeAsync(3000);
    killer.resume();
    await jest.advanceTimersByTimeAsync(1000);
    await killer.stop();
    await jest.advanceTimersByTimeAsync(5000);

    // Assess
    expect(killed).toEqual([1, 2, 3, 4]);
  });

  it('never kills when stopped before its first tick', async () => {
    jest.useFakeTimers();
    const { deps, killed } = fakeDeps([1]);
    const killer = new WorkerKiller(2000, deps);

    killer.start();
    await jest.advanceTimersByTimeAsync(500);
    await killer.stop();
    await jest.advanceTimersByTimeAsync(10_000);

    expect(killed).toEqual([]);
  });

  it('does nothing when the interval is 0', async () => {
    jest.useFakeTimers();
    const { deps, killed } = fakeDeps([1]);
    const killer = new WorkerKiller(0, deps);

    killer.start();
    await jest.advanceTimersByTimeAsync(10_000);
    await killer.stop();

    expect(killed).toEqual([]);
  });
});
