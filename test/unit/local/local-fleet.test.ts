import { fileURLToPath } from 'node:url';
import type { MetricDatum, MetricsSink } from '#core/metrics/metrics-sink.js';
import { LocalFleet } from '#local/local-fleet.js';
import { eventually } from '../../support/infrastructure.js';
import { recordingLogger } from '../../support/logs.js';

const FAKE_WORKER = fileURLToPath(new URL('./fixtures/fake-worker.mjs', import.meta.url));
const HOLDING_WORKER = fileURLToPath(new URL('./fixtures/holding-worker.mjs', import.meta.url));

/** A metrics sink that keeps what it is given. */
function recordingSink(): MetricsSink & { readonly data: MetricDatum[] } {
  const data: MetricDatum[] = [];
  return { data, record: (batch) => data.push(...batch), flush: async () => undefined };
}

/** A fleet of `entry` workers whose job releases are recorded. */
function releaseRecorder() {
  const released: string[][] = [];
  const releasingFleet = (entry: string) =>
    new LocalFleet({
      env: {},
      metrics: recordingSink(),
      killAfterSeconds: 5,
      log: recordingLogger('local').logger,
      releaseJobs: async (receipts) => void released.push([...receipts]),
      entry,
    });
  return { released, releasingFleet };
}

describe('LocalFleet', () => {
  let fleet: LocalFleet | undefined;

  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
  });

  it('holds a worker pending until it reports ready, passes its metrics on and ignores other messages', async () => {
    // Prepare
    const metrics = recordingSink();
    const { logger, records } = recordingLogger('local');
    fleet = new LocalFleet({ env: {}, metrics, killAfterSeconds: 5, log: logger, entry: FAKE_WORKER });
    // Act
    const [id] = await fleet.launch(1, 'launch-1');
    const justLaunched = await fleet.list();
    const ready = await eventually(
      async () => {
        const workers = await fleet!.list();
        return workers.every((worker) => worker.state === 'running') ? workers : undefined;
      },
      10_000,
      'the worker to report ready',
    );
    // Assess
    expect(justLaunched).toEqual([{ id, state: 'pending', launchedAt: expect.any(Number) }]);
    expect(ready).toEqual([{ id, state: 'running', launchedAt: expect.any(Number) }]);
    expect(metrics.data).toEqual([{ name: 'ImagesClassified', value: 2, unit: 'Count' }]);
    expect(records).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'unexpected IPC message from a worker ignored', workerId: id }),
    ]);
  });

  it('launches once per token, and after a stop has no workers and launches none', async () => {
    // Prepare
    fleet = new LocalFleet({
      env: {},
      metrics: recordingSink(),
      killAfterSeconds: 5,
      log: recordingLogger('local').logger,
      entry: FAKE_WORKER,
    });
    // Act
    const first = await fleet.launch(2, 'launch-1');
    const again = await fleet.launch(2, 'launch-1');
    await fleet.stop();
    const afterStop = { workers: await fleet.list(), launched: await fleet.launch(1, 'launch-2') };
    // Assess
    expect(first).toHaveLength(2);
    expect(again).toEqual(first);
    expect(afterStop).toEqual({ workers: [], launched: [] });
  });

  it('releases at once the jobs a worker held when it was killed, and only those', async () => {
    // Prepare
    const { released, releasingFleet } = releaseRecorder();
    fleet = releasingFleet(HOLDING_WORKER);
    await fleet.launch(1, 'launch-1');
    await eventually(
      async () => ((await fleet!.list())[0]?.state === 'running' ? true : undefined),
      10_000,
      'the worker to report ready',
    );
    // Act
    process.kill(fleet.pids[0]!, 'SIGKILL');
    await eventually(async () => (released.length > 0 ? true : undefined), 10_000, 'the release');
    // Assess
    expect(released).toEqual([['receipt-1', 'receipt-3']]);
  });

  it('releases nothing for a worker that stops holding nothing', async () => {
    // Prepare
    const { released, releasingFleet } = releaseRecorder();
    fleet = releasingFleet(FAKE_WORKER);
    await fleet.launch(1, 'launch-1');
    // Act
    await fleet.stop();
    // Assess
    expect(released).toEqual([]);
  });
});
