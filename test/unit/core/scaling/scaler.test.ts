import { jest } from '@jest/globals';
import type { Fleet } from '#core/fleet/fleet.js';
import type { Heartbeat } from '#core/fleet/heartbeat.js';
import type { ScalerMetricName } from '#core/metrics/metric-names.js';
import type { MetricDatum, MetricsSink } from '#core/metrics/metrics-sink.js';
import { Scaler } from '#core/scaling/scaler.js';
import type { QueueDepth, WorkerView } from '#core/scaling/scaling-types.js';
import { recordingLogger } from '../../../support/logs.js';
import { NOW, policy, queue } from './scaling-fixtures.js';

const instance = (id: string, state: WorkerView['state'], launchedAgoSeconds: number): WorkerView => ({
  id,
  state,
  launchedAt: NOW - launchedAgoSeconds * 1000,
});
const heartbeat = (workerId: string, fields: Partial<Heartbeat> = {}): Heartbeat => ({
  workerId,
  startedAt: NOW - 300_000,
  at: NOW - 1_000,
  imagesClassified: 0,
  busyMs: 0,
  stopped: false,
  ...fields,
});

/** The fleet as a list the test sets; launches and terminations are recorded, never performed. */
class FakeFleet implements Fleet {
  readonly launches: Array<{ count: number; token: string }> = [];
  readonly terminations: Array<readonly string[]> = [];

  constructor(public workers: WorkerView[] = []) {}

  async list(): Promise<WorkerView[]> {
    return [...this.workers];
  }

  async launch(count: number, token: string): Promise<string[]> {
    this.launches.push({ count, token });
    return Array.from({ length: count }, (_, n) => `i-new-${this.launches.length}-${n}`);
  }

  async terminate(ids: readonly string[]): Promise<void> {
    this.terminations.push(ids);
  }
}

/** What a test controls: the queue (or how it is observed), the fleet, the heartbeats and the clock. */
function harness(
  options: {
    queue?: QueueDepth;
    workers?: WorkerView[];
    heartbeats?: Heartbeat[];
    observeQueue?: () => Promise<QueueDepth>;
  } = {},
) {
  const world = {
    queue: options.queue ?? queue(0),
    heartbeats: options.heartbeats ?? [],
    now: NOW,
    fleet: new FakeFleet(options.workers),
    recorded: [] as MetricDatum[],
    heartbeatReads: [] as Array<readonly string[]>,
  };
  const observeQueue = jest.fn(options.observeQueue ?? (async () => world.queue));
  const metrics: MetricsSink = { record: (data) => void world.recorded.push(...data), flush: async () => undefined };
  const { logger, records } = recordingLogger('scaler');
  const scaler = new Scaler({
    observeQueue,
    fleet: world.fleet,
    heartbeats: {
      read: async (ids) => {
        world.heartbeatReads.push(ids);
        return world.heartbeats.filter((beat) => ids.includes(beat.workerId));
      },
    },
    metrics,
    policy,
    log: logger,
    now: () => world.now,
  });
  return { world, scaler, observeQueue, logs: records };
}

interface TickCase {
  readonly queue: QueueDepth;
  readonly workers?: WorkerView[];
  readonly heartbeats?: Heartbeat[];
  readonly launches: Array<{ count: number; token: string }>;
  readonly terminated?: string[];
  readonly metrics: Partial<Record<ScalerMetricName, number>>;
}

const tickCases: Record<string, TickCase> = {
  'idle at zero: nothing launched, nothing terminated, zeros recorded': {
    queue: queue(0),
    launches: [],
    metrics: {
      Backlog: 0,
      InFlight: 0,
      WorkersRunning: 0,
      WorkersPending: 0,
      WorkersDraining: 0,
      WorkersInFleet: 0,
      DesiredWorkers: 0,
      WorkersLaunched: 0,
    },
  },
  'zero to one: the first job launches one worker, its token naming the tick window and fleet size': {
    queue: queue(1),
    launches: [{ count: 1, token: 'glimpse-200000-0' }],
    metrics: { Backlog: 1, DesiredWorkers: 1, WorkersLaunched: 1 },
  },
  'in-flight and delayed jobs count as backlog': {
    queue: queue(0, 300, 300),
    launches: [{ count: 2, token: 'glimpse-200000-0' }],
    metrics: { Backlog: 600, InFlight: 300, DesiredWorkers: 2, WorkersLaunched: 2 },
  },
  'an in-flight count SQS did not report is left out of the backlog and recorded as 0': {
    queue: queue(1, NaN),
    launches: [{ count: 1, token: 'glimpse-200000-0' }],
    metrics: { Backlog: 1, InFlight: 0 },
  },
  'a heartbeat makes a pending instance a running worker': {
    queue: queue(0),
    workers: [instance('i-1', 'pending', 30)],
    heartbeats: [heartbeat('i-1', { startedAt: NOW - 20_000 })],
    launches: [],
    metrics: { WorkersRunning: 1, WorkersPending: 0 },
  },
  'the launch token names the fleet size the decision saw': {
    queue: queue(900),
    workers: [instance('i-1', 'running', 600)],
    heartbeats: [heartbeat('i-1')],
    launches: [{ count: 2, token: 'glimpse-200000-1' }],
    metrics: { Backlog: 900, WorkersRunning: 1, DesiredWorkers: 3, WorkersLaunched: 2 },
  },
  'a running worker silent past stuckAfterSeconds is terminated': {
    queue: queue(0),
    workers: [instance('i-1', 'running', 600)],
    heartbeats: [heartbeat('i-1', { at: NOW - 200_000 })],
    launches: [],
    terminated: ['i-1'],
    metrics: { WorkersRunning: 0, WorkersTerminated: 1 },
  },
  'a heartbeat older than its instance is an earlier worker of the same id: the new one is pending, not stuck': {
    queue: queue(0),
    workers: [instance('i-1', 'pending', 10)],
    heartbeats: [heartbeat('i-1', { startedAt: NOW - 3_600_000, at: NOW - 3_000_000 })],
    launches: [],
    metrics: { WorkersPending: 1, WorkersRunning: 0, WorkersInFleet: 1, WorkersTerminated: 0 },
  },
  'the last heartbeat of a stopped worker is no sign of life: silent since launch, it is terminated': {
    queue: queue(0),
    workers: [instance('i-1', 'running', 600)],
    heartbeats: [heartbeat('i-1', { stopped: true })],
    launches: [],
    terminated: ['i-1'],
    metrics: { WorkersTerminated: 1 },
  },
  'a draining heartbeat (Spot notice) makes the worker leaving: with work left, a replacement is launched': {
    queue: queue(100),
    workers: [instance('i-1', 'running', 600)],
    heartbeats: [heartbeat('i-1', { draining: true })],
    launches: [{ count: 1, token: 'glimpse-200000-0' }],
    metrics: {
      WorkersRunning: 0,
      WorkersDraining: 1,
      WorkersInFleet: 1,
      DesiredWorkers: 1,
      WorkersLaunched: 1,
      WorkersTerminated: 0,
    },
  },
  'measured throughput replaces the assumed one: 5 images/s per worker wants 4 workers, not 2': {
    queue: queue(600),
    workers: [instance('i-1', 'running', 600)],
    heartbeats: [heartbeat('i-1', { imagesClassified: 50, busyMs: 10_000 })],
    launches: [{ count: 3, token: 'glimpse-200000-1' }],
    metrics: { DesiredWorkers: 4, WorkersLaunched: 3 },
  },
};

describe('Scaler.tick', () => {
  it.each(Object.entries(tickCases))('%s', async (_name, tickCase) => {
    // Prepare
    const { world, scaler } = harness(tickCase);
    // Act
    const report = await scaler.tick();
    // Assess
    expect(world.fleet.launches).toEqual(tickCase.launches);
    expect(report.launched).toHaveLength(tickCase.launches.reduce((sum, launch) => sum + launch.count, 0));
    expect(world.fleet.terminations).toEqual(tickCase.terminated ? [tickCase.terminated] : []);
    expect(report.terminated).toEqual(tickCase.terminated ?? []);
    expect(report.at).toBe(NOW);
    const recorded = new Map(world.recorded.map((datum) => [datum.name, datum]));
    expect(recorded.size).toBe(9);
    for (const [name, value] of Object.entries(tickCase.metrics)) {
      expect({ name, value: recorded.get(name)?.value }).toEqual({ name, value });
    }
    expect(world.recorded.every((datum) => datum.at === NOW && datum.unit === 'Count')).toBe(true);
  });

  it('reads heartbeats only for the workers the fleet lists', async () => {
    // Prepare
    const { world, scaler } = harness({
      workers: [instance('i-1', 'running', 60), instance('i-2', 'pending', 5)],
      heartbeats: [heartbeat('i-1'), heartbeat('i-gone')],
    });
    // Act
    await scaler.tick();
    // Assess
    expect(world.heartbeatReads).toEqual([['i-1', 'i-2']]);
  });

  it.each([
    ['visible', queue(100)],
    ['in flight', queue(0, 100)],
    ['delayed', queue(0, 0, 100)],
  ])(
    'a burst of %s jobs between two ticks counts as arrivals: 3 workers where the backlog alone wants 1',
    async (_kind, burst) => {
      // Prepare: an empty queue at the first tick, 100 jobs 5 s later (20 jobs/s).
      const { world, scaler } = harness({ queue: queue(0) });
      await scaler.tick();
      world.queue = burst;
      world.now += 5_000;
      // Act
      const report = await scaler.tick();
      // Assess
      expect(report.decision.desired).toBe(3);
      expect(world.fleet.launches).toEqual([{ count: 3, token: 'glimpse-200001-0' }]);
    },
  );

  it('images the workers finished between ticks count as arrivals, so a steady queue gets more workers', async () => {
    // Prepare: 50 jobs queued at both ticks while one worker finished 50 images (10/s) in between.
    const worker = instance('i-1', 'running', 600);
    const { world, scaler } = harness({
      queue: queue(50),
      workers: [worker],
      heartbeats: [heartbeat('i-1', { imagesClassified: 100, busyMs: 10_000 })],
    });
    const first = await scaler.tick();
    world.heartbeats = [heartbeat('i-1', { imagesClassified: 150, busyMs: 15_000, at: NOW + 4_000 })];
    world.now += 5_000;
    // Act
    const second = await scaler.tick();
    // Assess
    expect(first.launched).toEqual([]);
    expect(second.decision.desired).toBe(2);
    expect(world.fleet.launches).toEqual([{ count: 1, token: 'glimpse-200001-1' }]);
  });

  it('logs what it changed, with the reason', async () => {
    // Prepare
    const { scaler, logs } = harness({ queue: queue(1) });
    // Act
    await scaler.tick();
    // Assess
    expect(logs).toEqual([
      expect.objectContaining({ level: 'info', msg: 'scaled', launched: ['i-new-1-0'], terminated: [] }),
    ]);
    expect(logs[0]!.reason).toMatch(/launching 1/);
  });

  it('logs nothing on a tick that changed nothing', async () => {
    // Prepare
    const { scaler, logs } = harness({ queue: queue(0) });
    // Act
    await scaler.tick();
    // Assess
    expect(logs).toEqual([]);
  });

  it('a tick asked for while one runs joins it: ticks never overlap', async () => {
    // Prepare: the queue observation hangs until released.
    let release: (depth: QueueDepth) => void = () => undefined;
    const { scaler, observeQueue } = harness({
      observeQueue: () => new Promise<QueueDepth>((resolve) => (release = resolve)),
    });
    // Act
    const first = scaler.tick();
    const second = scaler.tick();
    release(queue(0));
    // Assess
    expect(await first).toBe(await second);
    expect(observeQueue).toHaveBeenCalledTimes(1);
  });

  it('rejects with the failure of an observation, and the next tick runs afresh', async () => {
    // Prepare
    const { world, scaler } = harness({ queue: queue(1) });
    const list = world.fleet.list.bind(world.fleet);
    world.fleet.list = () => Promise.reject(new Error('RequestLimitExceeded'));
    // Act
    const failed = scaler.tick();
    // Assess
    await expect(failed).rejects.toThrow('RequestLimitExceeded');
    world.fleet.list = list;
    expect((await scaler.tick()).launched).toEqual(['i-new-1-0']);
  });
});

describe('Scaler.start, nudge and stop', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('ticks at once and then every tickSeconds, until stopped', async () => {
    // Prepare
    const { scaler, observeQueue } = harness();
    // Act
    scaler.start();
    await jest.advanceTimersByTimeAsync(3 * policy.tickSeconds * 1000);
    await scaler.stop();
    await jest.advanceTimersByTimeAsync(3 * policy.tickSeconds * 1000);
    // Assess
    expect(observeQueue).toHaveBeenCalledTimes(4);
  });

  it('nudges during a tick run one more tick after it, not one each', async () => {
    // Prepare: each observation takes 100 ms.
    const { scaler, observeQueue } = harness({
      observeQueue: () => new Promise((resolve) => setTimeout(() => resolve(queue(0)), 100)),
    });
    // Act
    scaler.nudge();
    scaler.nudge();
    scaler.nudge();
    await jest.advanceTimersByTimeAsync(1_000);
    // Assess
    expect(observeQueue).toHaveBeenCalledTimes(2);
  });

  it('a nudged tick that fails is logged with its cause, not thrown', async () => {
    // Prepare
    const { scaler, logs } = harness({
      observeQueue: () => Promise.reject(new Error('queue unreachable', { cause: new Error('ECONNREFUSED') })),
    });
    // Act
    scaler.nudge();
    await jest.advanceTimersByTimeAsync(0);
    // Assess
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'scaler tick failed',
        error: 'Error: queue unreachable: caused by Error: ECONNREFUSED',
      }),
    ]);
  });

  it('after stop, a nudge starts no tick', async () => {
    // Prepare
    const { scaler, observeQueue } = harness();
    await scaler.stop();
    // Act
    scaler.nudge();
    await jest.advanceTimersByTimeAsync(policy.tickSeconds * 1000);
    // Assess
    expect(observeQueue).not.toHaveBeenCalled();
  });
});
