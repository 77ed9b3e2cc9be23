import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { startWorker } from '#worker/worker-runtime.js';
import {
  createReplyQueue,
  eventually,
  queueCounts,
  receiveResults,
  startTestInfrastructure,
  submitJob,
  type TestInfrastructure,
} from '../support/infrastructure.js';
import { loadLabelledPhotos, readPhoto } from '../support/images.js';
import { DIST_WORKER_ENTRY } from '../support/paths.js';

function spawnWorker(
  infra: TestInfrastructure,
  env: Record<string, string>,
): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, [DIST_WORKER_ENTRY], {
    env: { ...infra.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

describe('worker process lifecycle', () => {
  let infra: TestInfrastructure;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
  });
  afterAll(() => infra?.stop());

  it('exits by itself, with code 0, after GLIMPSE_IDLE_SECONDS without work', async () => {
    const started = Date.now();
    const { child, stderr } = spawnWorker(infra, { GLIMPSE_IDLE_SECONDS: '2', GLIMPSE_WORKER_ID: 'idler' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr()).toContain('idle; stopping');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('on SIGTERM stops receiving, finishes what it holds and exits 0: no job is lost or left in flight', async () => {
    const replyTo = await createReplyQueue(infra);
    const photos = (await loadLabelledPhotos()).slice(0, 40);
    const jobs = await Promise.all(photos.map(async (p) => submitJob(infra, await readPhoto(p.filename), { replyTo })));
    const { child, stderr } = spawnWorker(infra, { GLIMPSE_IDLE_SECONDS: '0', GLIMPSE_WORKER_ID: 'terminated' });
    // Signal as soon as it holds work.
    await eventually(
      async () => ((await queueCounts(infra, infra.queues.requestQueueUrl)).inFlight > 0 ? true : undefined),
      20_000,
      'the worker to receive jobs',
    );
    child.kill('SIGTERM');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal, stderr: code === 0 ? '' : stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
    const replies = await receiveResults(infra, replyTo, jobs.length, 3_000);
    const counts = await queueCounts(infra, infra.queues.requestQueueUrl);
    expect(counts.inFlight).toBe(0);
    expect(replies.length).toBeGreaterThan(0);
    expect(new Set(replies.map((r) => r.jobId)).size).toBe(replies.length);
    expect(replies.length + counts.visible).toBe(jobs.length);
  });

  it('serves the fixed-batch model (ShuffleNet) one image per onnxruntime call', async () => {
    const worker = await startWorker(
      loadWorkerConfig({ ...infra.env, GLIMPSE_MODEL: 'shufflenet-v2-12-qdq', GLIMPSE_POLL_WAIT_SECONDS: '1' }),
      silentLogger(),
    );
    try {
      const replyTo = await createReplyQueue(infra);
      const photos = (await loadLabelledPhotos()).slice(40, 44);
      const jobs = await Promise.all(
        photos.map(async (p) => submitJob(infra, await readPhoto(p.filename), { replyTo })),
      );
      const replies = await receiveResults(infra, replyTo, jobs.length, 20_000);
      expect(replies).toHaveLength(jobs.length);
      for (const reply of replies) {
        expect(reply).toMatchObject({ status: 'done', model: 'shufflenet-v2-12-qdq', timings: { batchSize: 1 } });
      }
      const byFile = new Map(jobs.map((job, i) => [job.jobId, photos[i]!]));
      for (const reply of replies) {
        expect(reply.status === 'done' && reply.prediction.index).toBe(byFile.get(reply.jobId)!.shufflenetTop1);
      }
    } finally {
      await worker.shutdown();
    }
  });
});
