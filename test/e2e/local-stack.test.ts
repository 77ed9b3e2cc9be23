import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { parseLabels } from '#core/models/labels.js';
import { IMAGENET_CLASSES } from '#core/models/registry.js';
import os from 'node:os';
import path from 'node:path';
import { loadLabelledPhotos, readPhoto, type LabelledPhoto } from '../support/images.js';
import { classifyOnce, type Answer } from '#tools/load/classify-request.js';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import { percentile } from '#tools/shared/percentile.js';
import { modelMirrorDir } from '../support/paths.js';
import { memoryOf, startStackProcess, type StackProcess } from '../support/stack-process.js';

const CONCURRENCY = 50;

interface Run {
  readonly route: string;
  readonly answers: Array<Answer & { readonly photo: LabelledPhoto }>;
  readonly seconds: number;
}

/** Answers that agree with the reference top-1, and that are right against labels.csv. */
function rates(run: Run): { answered: number; agree: number; right: number } {
  const ok = run.answers.filter((a) => a.status === 200);
  // The v1 API names the index; the CSE546 answer only the label.
  const agree = ok.filter((a) =>
    a.index !== undefined ? a.index === a.photo.mobilenetTop1 : a.label === labelOfIndex(a.photo.mobilenetTop1),
  );
  return { answered: ok.length, agree: agree.length, right: ok.filter((a) => a.label === a.photo.label).length };
}

function report(run: Run): Record<string, number | string> {
  const { answered, agree, right } = rates(run);
  const total = run.answers.length;
  const latencies = run.answers.map((a) => a.ms);
  return {
    route: run.route,
    answered: `${answered}/${total}`,
    agreement: `${((100 * agree) / total).toFixed(1)}%`,
    accuracy: `${((100 * right) / total).toFixed(1)}%`,
    imagesPerSecond: Number((total / run.seconds).toFixed(1)),
    p50ms: Math.round(percentile(latencies, 50)),
    p95ms: Math.round(percentile(latencies, 95)),
  };
}

let labelsByIndex: Map<number, string>;
const labelOfIndex = (index: number) => labelsByIndex.get(index);

describe('the whole local stack (npm start) on free ports', () => {
  let dataDir: string;
  let stack: StackProcess | undefined;
  let photos: LabelledPhoto[];
  let bytes: Map<string, Buffer>;
  const figures: Array<Record<string, number | string>> = [];
  const finishedJobs: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-e2e-'));
    photos = await loadLabelledPhotos();
    bytes = new Map(await Promise.all(photos.map(async (p) => [p.filename, await readPhoto(p.filename)] as const)));
    const labels = parseLabels(
      await readFile(path.join(modelMirrorDir(), 'imagenet-labels.txt'), 'utf8'),
      IMAGENET_CLASSES,
    );
    labelsByIndex = new Map(labels.map((l) => [l.index, l.label]));
    stack = await startStackProcess({ GLIMPSE_DATA_DIR: dataDir, GLIMPSE_MIN_WORKERS: '2', GLIMPSE_MAX_WORKERS: '2' });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
    process.stdout.write(
      `\nEnd-to-end figures (${photos?.length} photos, ${CONCURRENCY} in flight, 2 workers):\n${JSON.stringify(figures, null, 2)}\n`,
    );
  });

  /** Sends every photo through the load client's own request code, 50 in flight. */
  async function run(route: string, cse546: boolean): Promise<Run> {
    const started = performance.now();
    const answers = await mapWithLimit(photos, CONCURRENCY, async (photo) => ({
      ...(await classifyOnce(stack!.url, photo.filename, bytes.get(photo.filename)!, { cse546, waitSeconds: 120 })),
      photo,
    }));
    return { route, answers, seconds: (performance.now() - started) / 1000 };
  }

  function assertRun(result: Run): void {
    expect(result.answers.filter((a) => a.status !== 200).map((a) => `${a.filename}: ${a.status} ${a.error}`)).toEqual(
      [],
    );
    for (const answer of result.answers) {
      // The name comes from the worker's result record: the answer is for this very image.
      expect(answer.namesOwnImage).toBe(true);
      expect(answer.photo.mobilenetTop5.map(labelOfIndex)).toContain(answer.label);
    }
    const { agree, right } = rates(result);
    expect(agree / result.answers.length).toBeGreaterThanOrEqual(0.97);
    expect(right / result.answers.length).toBeGreaterThanOrEqual(0.8);
    figures.push(report(result));
  }

  it('classifies all 200 photos through POST /v1/classifications, each answer naming its own image', async () => {
    const result = await run('POST /v1/classifications', false);
    assertRun(result);
    for (const answer of result.answers) expect(answer.photo.mobilenetTop5).toContain(answer.index);
    finishedJobs.push(...result.answers.map((a) => a.jobId!));
  });

  it('classifies all 200 photos through the CSE546 route POST /, each answer naming its own image', async () => {
    assertRun(await run('POST / (CSE546)', true));
  });

  it('reports the memory of the web-tier process and of each worker', async () => {
    const stackMemory = await memoryOf(stack!.child.pid!);
    const workers = await stack!.workerPids();
    expect(workers).toHaveLength(2);
    const workerMemory = await Promise.all(workers.map(memoryOf));
    figures.push({
      route: 'memory',
      webTierAndEmulatorRssMiB: stackMemory.rssMiB,
      webTierAndEmulatorPeakMiB: stackMemory.peakMiB,
    });
    workerMemory.forEach((m, i) => figures.push({ route: `memory worker ${i}`, rssMiB: m.rssMiB, peakMiB: m.peakMiB }));
  });

  it('loses no queued job and no result across a restart', async () => {
    expect(await stack!.stop()).toBe(0);
    // Restart with no workers: queue jobs that nobody can do yet.
    stack = await startStackProcess({ GLIMPSE_DATA_DIR: dataDir, GLIMPSE_MAX_WORKERS: '0' });
    const before = (await (await fetch(`${stack.url}/v1/classifications/${finishedJobs[0]}`)).json()) as {
      status: string;
    };
    expect(before.status).toBe('done');
    const queued = await mapWithLimit(photos.slice(0, 5), 5, async (photo) => {
      const body = new FormData();
      body.append('images', new Blob([bytes.get(photo.filename)!]), photo.filename);
      const response = await fetch(`${stack!.url}/v1/classifications?wait=0`, { method: 'POST', body });
      expect(response.status).toBe(202);
      return { photo, id: ((await response.json()) as { items: Array<{ id: string }> }).items[0]!.id };
    });
    expect(await stack.stop()).toBe(0);
    // Restart with workers: the queued jobs are done and readable by id.
    stack = await startStackProcess({ GLIMPSE_DATA_DIR: dataDir, GLIMPSE_MIN_WORKERS: '2', GLIMPSE_MAX_WORKERS: '2' });
    for (const { photo, id } of queued) {
      let item: { status: string; filename: string; result?: { index: number } } = { status: 'queued', filename: '' };
      const deadline = Date.now() + 60_000;
      while (item.status === 'queued' && Date.now() < deadline) {
        item = (await (await fetch(`${stack.url}/v1/classifications/${id}`)).json()) as typeof item;
        if (item.status === 'queued') await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(item).toMatchObject({ status: 'done', filename: photo.filename, result: { index: photo.mobilenetTop1 } });
    }
  }, 180_000);
});
