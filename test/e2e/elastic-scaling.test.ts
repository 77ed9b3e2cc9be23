import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SCALER_METRICS } from '#core/metrics/metric-names.js';
import { loadLabelledPhotos, readPhoto, type LabelledPhoto } from '../support/images.js';
import { classifyOnce } from '#tools/load/classify-request.js';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import { startStackProcess, type StackProcess } from '../support/stack-process.js';

const MAX_WORKERS = 3;
const IDLE_SECONDS = 10;

interface Sample {
  readonly at: number;
  readonly workerProcesses: number;
}

describe('elastic scaling on the local stack (max 3 workers, 10 s idle exit)', () => {
  let dataDir: string;
  let stack: StackProcess | undefined;
  const samples: Sample[] = [];
  let sampler: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-scaling-'));
    stack = await startStackProcess({
      GLIMPSE_DATA_DIR: dataDir,
      GLIMPSE_MAX_WORKERS: String(MAX_WORKERS),
      GLIMPSE_IDLE_SECONDS: String(IDLE_SECONDS),
    });
    sampler = setInterval(async () => {
      samples.push({ at: Date.now(), workerProcesses: (await stack!.workerPids()).length });
    }, 100);
  });

  afterAll(async () => {
    clearInterval(sampler);
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts from zero, grows above one (never above max) for a burst, answers all, and shrinks back to zero', async () => {
    const photos = await loadLabelledPhotos();
    const images = new Map<string, Buffer>(
      await Promise.all(photos.map(async (p) => [p.filename, await readPhoto(p.filename)] as const)),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await stack!.workerPids()).toEqual([]);

    const burstAt = Date.now();
    const answers = await mapWithLimit(photos, photos.length, async (photo: LabelledPhoto) => {
      const answer = await classifyOnce(stack!.url, photo.filename, images.get(photo.filename)!, {
        cse546: false,
        waitSeconds: 120,
      });
      return { photo, answer, at: Date.now() };
    });
    const lastAnswerAt = Math.max(...answers.map((a) => a.at));

    for (const { photo, answer } of answers) {
      expect(answer.status).toBe(200);
      expect(answer.namesOwnImage).toBe(true);
      expect(photo.mobilenetTop5).toContain(answer.index);
    }
    const right = answers.filter(({ photo, answer }) => answer.index === photo.classIndex).length;
    expect(right / answers.length).toBeGreaterThanOrEqual(0.8);

    // Every worker exits by itself within the idle time after the last answer.
    let goneAt = Date.now();
    while ((await stack!.workerPids()).length > 0 && Date.now() - lastAnswerAt < 3 * IDLE_SECONDS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      goneAt = Date.now();
    }
    const exitSeconds = (goneAt - lastAnswerAt) / 1000;

    const { metrics } = (await (await fetch(`${stack!.url}/v1/metrics?since=${burstAt - 1000}`)).json()) as {
      metrics: Record<string, Array<[number, number]>>;
    };
    const peakProcesses = Math.max(...samples.filter((s) => s.at >= burstAt).map((s) => s.workerProcesses));
    const pending = metrics[SCALER_METRICS.workersPending] ?? [];
    const peakCapacity = Math.max(
      ...(metrics[SCALER_METRICS.workersRunning] ?? []).map(([, running], i) => running + (pending[i]?.[1] ?? 0)),
    );
    printTimeline(burstAt, lastAnswerAt, goneAt, samples, metrics);
    if (exitSeconds > IDLE_SECONDS) {
      process.stdout.write(
        stack!
          .output()
          .split('\n')
          .filter((line) => /idle|stopped|error|exited|died/.test(line))
          .join('\n'),
      );
    }

    expect(peakProcesses).toBeGreaterThan(1);
    expect(peakProcesses).toBeLessThanOrEqual(MAX_WORKERS);
    expect(peakCapacity).toBeLessThanOrEqual(MAX_WORKERS);
    expect(await stack!.workerPids()).toEqual([]);
    // And nothing is launched again for work that is gone.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await stack!.workerPids()).toEqual([]);
    expect(exitSeconds).toBeLessThanOrEqual(IDLE_SECONDS);
  }, 180_000);
});

function printTimeline(
  burstAt: number,
  lastAnswerAt: number,
  goneAt: number,
  samples: readonly Sample[],
  metrics: Record<string, Array<[number, number]>>,
): void {
  const at = (t: number) => ((t - burstAt) / 1000).toFixed(1).padStart(6);
  const seriesAt = (name: string, t: number) => {
    const points = (metrics[name] ?? []).filter(([time]) => time <= t);
    return points.length > 0 ? points[points.length - 1]![1] : 0;
  };
  const rows: string[] = ['     t  processes  backlog  running  pending  desired  launched(total)'];
  let launched = 0;
  const end = goneAt + 1000;
  for (let t = burstAt; t <= end; t += 1000) {
    launched += (metrics[SCALER_METRICS.workersLaunched] ?? [])
      .filter(([time]) => time > t - 1000 && time <= t)
      .reduce((sum, [, value]) => sum + value, 0);
    const processes = samples.filter((s) => s.at <= t).at(-1)?.workerProcesses ?? 0;
    rows.push(
      `${at(t)}  ${String(processes).padStart(9)}  ${String(seriesAt(SCALER_METRICS.backlog, t)).padStart(7)}  ` +
        `${String(seriesAt(SCALER_METRICS.workersRunning, t)).padStart(7)}  ${String(seriesAt(SCALER_METRICS.workersPending, t)).padStart(7)}  ` +
        `${String(seriesAt(SCALER_METRICS.desiredWorkers, t)).padStart(7)}  ${String(launched).padStart(8)}`,
    );
  }
  rows.push(
    `last answer at ${at(lastAnswerAt)} s; no worker process left at ${at(goneAt)} s (${((goneAt - lastAnswerAt) / 1000).toFixed(1)} s after)`,
  );
  process.stdout.write(`\nElastic scaling timeline (t = seconds since the burst of 200):\n${rows.join('\n')}\n`);
}
