import type { NestExpressApplication } from '@nestjs/platform-express';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker } from '#worker/worker-runtime.js';
import { readPhoto } from '../support/images.js';
import {
  eventually,
  queueCounts,
  queueDrained,
  startTestInfrastructure,
  storedResult,
  type TestInfrastructure,
} from '../support/infrastructure.js';

type Item = Record<string, any>;

function form(files: ReadonlyArray<{ bytes: Uint8Array; name: string }>): FormData {
  const body = new FormData();
  for (const file of files) body.append('images', new Blob([file.bytes], { type: 'image/jpeg' }), file.name);
  return body;
}

describe('job lifecycle over real HTTP with the web tier only: cancel, deadlines, idempotency keys', () => {
  let infra: TestInfrastructure;
  let app: NestExpressApplication;
  let url: string;
  let tench: Buffer;
  let koala: Buffer;

  const post = async (query: string, files = [{ bytes: tench, name: 'tench.jpg' }], headers = {}) => {
    const response = await fetch(`${url}/v1/classifications?${query}`, { method: 'POST', body: form(files), headers });
    return { status: response.status, body: (await response.json()) as Item };
  };
  const call = async (method: 'GET' | 'DELETE', id: string) => {
    const response = await fetch(`${url}/v1/classifications/${id}`, { method });
    return { status: response.status, body: (await response.json()) as Item };
  };
  const jobsInQueue = async () => {
    const { visible, inFlight } = await queueCounts(infra, infra.queues.requestQueueUrl);
    return visible + inFlight;
  };

  /** The id of a job in the request queue that has no ending yet (no worker runs; ended jobs stay queued). */
  const nextQueuedJobId = () =>
    eventually(
      async () => {
        const { Messages = [] } = await infra.clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: infra.queues.requestQueueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 0,
            WaitTimeSeconds: 1,
          }),
        );
        const ids = Messages.map((message) => (JSON.parse(message.Body!) as { jobId: string }).jobId);
        const states = await Promise.all(ids.map(async (id) => (await call('GET', id)).body.status as string));
        return ids.find((_, index) => states[index] === 'queued');
      },
      10_000,
      'a job to be queued',
    );

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    app = await createWebApp(loadWebConfig({ ...infra.env, PORT: '0' }), infra.clients, { logger: silentLogger() });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    tench = await readPhoto('n01440764_tench.JPEG');
    koala = await readPhoto('n01882714_koala.JPEG');
  });
  afterAll(async () => {
    await app?.close();
    await infra?.stop();
  });

  it('answers a waiting request canceled at once when its job is canceled', async () => {
    // Prepare
    const waiting = post('wait=30');
    const id = await nextQueuedJobId();
    // Act
    const canceled = await call('DELETE', id);
    const answer = await waiting;
    // Assess
    expect(canceled).toMatchObject({ status: 200, body: { id, status: 'canceled', filename: 'tench.jpg' } });
    expect(answer).toMatchObject({ status: 200, body: { items: [{ id, status: 'canceled' }] } });
  });

  it('documents the cancel route, the deadline and webhook parameters and the Idempotency-Key header', async () => {
    // Act
    const document = (await (await fetch(`${url}/docs/openapi.json`)).json()) as Item;
    // Assess
    const classify = document.paths['/v1/classifications'].post;
    const parameters = classify.parameters.map((parameter: Item) => `${parameter.in} ${parameter.name}`);
    expect(parameters).toEqual(expect.arrayContaining(['query deadline', 'query webhook', 'header Idempotency-Key']));
    expect(Object.keys(classify.responses)).toEqual(expect.arrayContaining(['409', '422']));
    const cancel = document.paths['/v1/classifications/{id}'].delete;
    expect(Object.keys(cancel.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
  });

  it('answers a request waiting in another web process through its reply queue', async () => {
    // Prepare
    const other = await createWebApp(loadWebConfig({ ...infra.env, PORT: '0' }), infra.clients, {
      logger: silentLogger(),
    });
    await other.listen(0, '127.0.0.1');
    try {
      const waiting = post('wait=30');
      const id = await nextQueuedJobId();
      // Act
      const canceled = await fetch(`${await other.getUrl()}/v1/classifications/${id}`, { method: 'DELETE' });
      // Assess
      expect(canceled.status).toBe(200);
      expect(await waiting).toMatchObject({ status: 200, body: { items: [{ id, status: 'canceled' }] } });
    } finally {
      await other.close();
    }
  });

  it('answers 404 for a job it does not know', async () => {
    expect((await call('DELETE', '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11')).status).toBe(404);
  });

  it('expires a job whose deadline passes while no worker runs: the waiting request and GET say expired; no cancel after', async () => {
    // Act
    const started = Date.now();
    const answer = await post('wait=20&deadline=1');
    // Assess
    expect(answer).toMatchObject({ status: 200, body: { items: [{ status: 'expired', filename: 'tench.jpg' }] } });
    expect(Date.now() - started).toBeLessThan(15_000);
    const id = answer.body.items[0].id as string;
    expect(await call('GET', id)).toMatchObject({ status: 200, body: { status: 'expired' } });
    expect(await call('DELETE', id)).toMatchObject({ status: 409, body: { status: 'expired', jobId: id } });
  });

  it('takes the deadline as a form field too, and refuses one out of range', async () => {
    // Prepare
    const body = form([{ bytes: koala, name: 'koala.jpg' }]);
    body.append('deadline', '1');
    // Act
    const answer = await fetch(`${url}/v1/classifications?wait=20`, { method: 'POST', body });
    const refused = await post('wait=0&deadline=86401');
    // Assess
    expect(((await answer.json()) as Item).items[0].status).toBe('expired');
    expect(refused.status).toBe(400);
  });

  it('answers the same key with the same files with the same jobs, queueing one; another body is a 422', async () => {
    // Prepare
    const before = await jobsInQueue();
    const key = { 'Idempotency-Key': `same-${Date.now()}` };
    // Act
    const first = await post('wait=0', undefined, key);
    const again = await post('wait=0', undefined, key);
    const other = await post('wait=0', [{ bytes: koala, name: 'koala.jpg' }], key);
    // Assess
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 202, body: first.body });
    expect(other).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
    expect(await jobsInQueue()).toBe(before + 1);
  });

  it('creates one set of jobs for 10 concurrent requests with one key', async () => {
    // Prepare
    const before = await jobsInQueue();
    const key = { 'Idempotency-Key': `concurrent-${Date.now()}` };
    const files = [
      { bytes: tench, name: 'tench.jpg' },
      { bytes: koala, name: 'koala.jpg' },
    ];
    // Act
    const answers = await Promise.all(Array.from({ length: 10 }, () => post('wait=0', files, key)));
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(202));
    const ids = new Set(answers.map((answer) => answer.body.items.map((item: Item) => item.id).join()));
    expect(ids.size).toBe(1);
    expect(answers[0]!.body.items[0].batchId).toEqual(expect.any(String));
    expect(await jobsInQueue()).toBe(before + 2);
  });

  it('cancels a job before any worker starts; a worker started later answers it canceled, never classifying it', async () => {
    // Prepare
    const { body } = await post('wait=0');
    const id = body.items[0].id as string;
    // Act
    const canceled = await call('DELETE', id);
    const again = await call('DELETE', id);
    const worker = await startWorker(
      loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }),
      silentLogger(),
    );
    try {
      await queueDrained(infra, infra.queues.requestQueueUrl, 'every job to be answered', 60_000);
    } finally {
      await worker.shutdown();
    }
    // Assess
    expect(canceled).toMatchObject({ status: 200, body: { id, status: 'canceled' } });
    expect(again).toEqual(canceled);
    const stored = await storedResult(infra, id);
    expect(stored).toMatchObject({ status: 'canceled', workerId: expect.stringMatching(/^web:/) });
    expect(stored).not.toHaveProperty('prediction');
    expect((await call('GET', id)).body.status).toBe('canceled');
  });
});
