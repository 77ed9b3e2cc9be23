import { decide } from '#core/scaling/decide.js';
import type { ScalingInput, WorkerView } from '#core/scaling/scaling-types.js';
import { NOW, policy, queue } from './scaling-fixtures.js';

const running = (id: string, heartbeatAgoSeconds = 1): WorkerView => ({
  id,
  state: 'running',
  launchedAt: NOW - 600_000,
  lastHeartbeatAt: NOW - heartbeatAgoSeconds * 1000,
});
const pending = (id: string, launchedAgoSeconds = 10): WorkerView => ({
  id,
  state: 'pending',
  launchedAt: NOW - launchedAgoSeconds * 1000,
});
const draining = (id: string): WorkerView => ({ ...running(id), state: 'draining' });
const input = (overrides: Partial<ScalingInput>): ScalingInput => ({
  now: NOW,
  queue: queue(0),
  workers: [],
  policy,
  ...overrides,
});

describe('decide()', () => {
  it.each<[string, Partial<ScalingInput>, { launch: number; desired: number; terminate?: string[] }]>([
    ['idle at zero: nothing to do', {}, { launch: 0, desired: 0 }],
    ['zero to one: the first job launches a worker at once', { queue: queue(1) }, { launch: 1, desired: 1 }],
    ['a delayed job counts as work', { queue: queue(0, 0, 1) }, { launch: 1, desired: 1 }],
    ['in-flight jobs count as backlog', { queue: queue(0, 600) }, { launch: 2, desired: 2 }],
    [
      'a burst of 1000 at zero: enough to drain in 30 s at 10/s each (ceil(1000/300) = 4)',
      { queue: queue(1000) },
      { launch: 4, desired: 4 },
    ],
    ['a huge burst is capped at max', { queue: queue(1_000_000) }, { launch: 19, desired: 19 }],
    [
      'cap reached: never above max',
      { queue: queue(100_000), workers: Array.from({ length: 19 }, (_, i) => running(`w${i}`)) },
      { launch: 0, desired: 19 },
    ],
    [
      'pending launches count as capacity: no double launch on the next tick',
      { queue: queue(1000), workers: [pending('p1'), pending('p2'), pending('p3'), pending('p4')] },
      { launch: 0, desired: 4 },
    ],
    [
      'a draining worker (Spot notice) counts as leaving: its replacement is launched',
      { queue: queue(100), workers: [draining('d1')] },
      { launch: 1, desired: 1 },
    ],
    [
      'a draining worker is never terminated, even when silent past the stuck time',
      { queue: queue(100), workers: [{ ...draining('d1'), lastHeartbeatAt: NOW - 600_000 }, running('a')] },
      { launch: 0, desired: 1, terminate: [] },
    ],
    [
      'partly pending: only the difference is launched',
      { queue: queue(1000), workers: [pending('p1')] },
      { launch: 3, desired: 4 },
    ],
    [
      'steady arrivals keep workers even with an empty queue',
      { arrivalsPerSecond: 25, workers: [running('a')] },
      { launch: 2, desired: 3 },
    ],
    [
      'a fading arrival estimate with no backlog and no worker launches nothing',
      { arrivalsPerSecond: 0.3 },
      { launch: 0, desired: 0 },
    ],
    [
      'an arrival estimate near zero counts as none',
      { arrivalsPerSecond: 0.001, workers: [running('a')] },
      { launch: 0, desired: 0 },
    ],
    [
      'measured throughput replaces the assumed one',
      { queue: queue(1000), workerImagesPerSecond: 100 },
      { launch: 1, desired: 1 },
    ],
    [
      'running workers that finish before a new one boots: no launch',
      { queue: queue(500), workers: [running('a')] },
      { launch: 0, desired: 2 },
    ],
    ['minimum kept with no work', { policy: { ...policy, minWorkers: 2 } }, { launch: 2, desired: 2 }],
    [
      'stuck worker (no heartbeat for 121 s) is terminated and replaced',
      { queue: queue(10), workers: [running('stuck', 121)] },
      { launch: 1, desired: 1, terminate: ['stuck'] },
    ],
    [
      'a worker that never sent a heartbeat gets the boot time first',
      { queue: queue(10), workers: [{ id: 'new', state: 'running', launchedAt: NOW - 90_000 }] },
      { launch: 0, desired: 1 },
    ],
    [
      'a pending worker far past its boot time is stuck',
      { queue: queue(10), workers: [pending('lost', 301)] },
      { launch: 1, desired: 1, terminate: ['lost'] },
    ],
  ])('%s', (_name, overrides, expected) => {
    const decision = decide(input(overrides));
    expect({ launch: decision.launch, desired: decision.desired, terminate: [...decision.terminate] }).toEqual({
      terminate: [],
      ...expected,
    });
    expect(decision.reason).not.toBe('');
  });

  it.each<[string, Partial<ScalingInput>, number]>([
    ['negative visible count', { queue: queue(-5) }, 0],
    ['NaN in-flight count', { queue: { visible: 3, inFlight: Number.NaN, delayed: 0 } }, 1],
    ['infinite delayed count', { queue: { visible: 0, inFlight: 0, delayed: Infinity } }, 0],
    ['zero measured throughput (would divide by zero)', { queue: queue(1000), workerImagesPerSecond: 0 }, 4],
    ['negative arrival rate', { queue: queue(1), arrivalsPerSecond: -3 }, 1],
    ['absurd throughput', { queue: queue(1000), workerImagesPerSecond: 1e12 }, 4],
  ])('survives missing or absurd metrics: %s', (_name, overrides, launch) => {
    const decision = decide(input(overrides));
    expect(decision.launch).toBe(launch);
    expect(decision.warnings.length).toBeGreaterThan(0);
    expect(Number.isFinite(decision.desired)).toBe(true);
  });

  it('is a pure function of its inputs and the clock', () => {
    const scenario = input({ queue: queue(77, 5), workers: [running('a', 200), pending('b')], arrivalsPerSecond: 3 });
    expect(decide(scenario)).toEqual(decide(structuredClone(scenario)));
    expect(decide({ ...scenario, now: NOW - 100_000 }).terminate).toEqual([]);
    expect(decide(scenario).terminate).toEqual(['a']);
  });

  it('never exceeds max over a run of ticks that launch what it asks for', () => {
    let workers: WorkerView[] = [];
    for (let tick = 0; tick < 50; tick++) {
      const decision = decide(input({ now: NOW + tick * 5000, queue: queue(50_000), workers }));
      workers = [...workers, ...Array.from({ length: decision.launch }, (_, i) => pending(`t${tick}-${i}`, 0))];
      expect(workers.length).toBeLessThanOrEqual(policy.maxWorkers);
    }
    expect(workers).toHaveLength(policy.maxWorkers);
  });
});
