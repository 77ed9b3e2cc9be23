import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Webhook } from 'standardwebhooks';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { JobStore } from '#core/storage/job-store.js';
import { WebhookRequests } from '#core/webhooks/webhook-requests.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { readPhoto } from '../support/images.js';
import {
  eventually,
  queueDrained,
  startTestInfrastructure,
  type TestInfrastructure,
} from '../support/infrastructure.js';

const SECRET = `whsec_${Buffer.alloc(32, 42).toString('base64')}`;

/** One POST the receiver got. */
interface Delivery {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
  readonly at: number;
}

/**
 * A webhook receiver on 127.0.0.1: `/ok` answers 204; `/flaky` answers 503 to the first two tries
 * of each webhook-id, then 204.
 */
async function startReceiver(): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const id = request.headers['webhook-id'];
      const earlier = deliveries.filter((d) => d.headers['webhook-id'] === id).length;
      const status = path === '/flaky' && earlier < 2 ? 503 : 204;
      deliveries.push({
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        at: Date.now(),
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, deliveries };
}

function imageForm(images: ReadonlyArray<{ bytes: Uint8Array; name: string }>): FormData {
  const body = new FormData();
  for (const image of images) body.append('images', new Blob([image.bytes], { type: 'image/jpeg' }), image.name);
  return body;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('signed webhooks, with a real web tier, worker, emulator and receiver', () => {
  let infra: TestInfrastructure;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let worker: RunningWorker | undefined;
  let app: NestExpressApplication | undefined;
  let url: string;
  let tench: Buffer;

  async function startWeb(): Promise<void> {
    const config = loadWebConfig({ ...infra.env, PORT: '0' });
    app = await createWebApp(config, infra.clients, { logger: silentLogger() });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  }

  async function submit(webhook: string, count = 1, wait = 0): Promise<string[]> {
    const images = Array.from({ length: count }, (_, n) => ({ bytes: tench, name: `tench-${n}.jpg` }));
    const query = new URLSearchParams({ wait: String(wait), webhook });
    const response = await fetch(`${url}/v1/classifications?${query}`, { method: 'POST', body: imageForm(images) });
    expect([200, 202]).toContain(response.status);
    const { items } = (await response.json()) as { items: Array<{ id: string }> };
    return items.map((item) => item.id);
  }

  const deliveriesOf = (jobId: string) =>
    receiver.deliveries.filter((delivery) => delivery.headers['webhook-id'] === `msg_${jobId}`);

  beforeAll(async () => {
    infra = await startTestInfrastructure({
      GLIMPSE_WEBHOOK_SECRET: SECRET,
      GLIMPSE_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
      GLIMPSE_WEBHOOK_RETRY_BASE_SECONDS: '1',
    });
    receiver = await startReceiver();
    tench = await readPhoto('n01440764_tench.JPEG');
  });
  afterAll(async () => {
    await app?.close();
    await worker?.shutdown();
    receiver?.server.close();
    await infra?.stop();
  });

  it('delivers a job that ended while no web tier ran once one starts (the queue holds what is owed)', async () => {
    // Prepare: the job is accepted, then the web tier stops before the job ends
    await startWeb();
    const [jobId] = await submit(`${receiver.url}/ok`);
    await app!.close();
    app = undefined;
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    const store = new JobStore(infra.clients.s3, infra.names);
    await eventually(() => store.readResult(jobId!), 30_000, 'the job to end');
    await sleep(500);
    expect(deliveriesOf(jobId!)).toEqual([]);
    // Act
    await startWeb();
    // Assess
    const [delivery] = await eventually(
      async () => (deliveriesOf(jobId!).length > 0 ? deliveriesOf(jobId!) : undefined),
      15_000,
      'the delivery',
    );
    expect(delivery!.status).toBe(204);
    expect(new Webhook(SECRET).verify(delivery!.body, delivery!.headers as Record<string, string>)).toMatchObject({
      id: jobId,
      status: 'done',
    });
  });

  it('POSTs each job its item, signed per Standard Webhooks, once per job', async () => {
    // Act
    const jobIds = await submit(`${receiver.url}/ok`, 3, 20);
    // Assess
    await eventually(
      async () => (jobIds.every((id) => deliveriesOf(id).length > 0) ? true : undefined),
      15_000,
      'a delivery per job',
    );
    await sleep(1_500);
    for (const jobId of jobIds) {
      const deliveries = deliveriesOf(jobId);
      expect(deliveries).toHaveLength(1);
      const [{ headers, body }] = deliveries as [Delivery];
      const verified = new Webhook(SECRET).verify(body, headers as Record<string, string>);
      const item = await (await fetch(`${url}/v1/classifications/${jobId}`)).json();
      expect(verified).toEqual(item);
      expect(headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    }
  });

  it('POSTs a delivery requested twice for one job once (a worker redelivered after requesting it)', async () => {
    // Prepare
    const [jobId] = await submit(`${receiver.url}/ok`, 1, 20);
    await eventually(async () => (deliveriesOf(jobId!).length > 0 ? true : undefined), 15_000, 'the delivery');
    // Act
    await new WebhookRequests(infra.clients.sqs, infra.queues.webhookQueueUrl).request(jobId!, `${receiver.url}/ok`);
    await queueDrained(infra, infra.queues.webhookQueueUrl, 'the second request');
    // Assess
    expect(deliveriesOf(jobId!)).toHaveLength(1);
  });

  it('retries a failing receiver with back-off, with the same webhook-id each time, until a 2xx', async () => {
    // Act
    const [jobId] = await submit(`${receiver.url}/flaky`);
    // Assess
    await eventually(
      async () => (deliveriesOf(jobId!).some((d) => d.status === 204) ? true : undefined),
      30_000,
      'a successful try',
    );
    await sleep(2_500);
    const tries = deliveriesOf(jobId!);
    expect(tries.map((d) => d.status)).toEqual([503, 503, 204]);
    // Back-off with a 1 s base: 1 s after the first failure, 2 s after the second.
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(900);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(1_900);
    expect(new Set(tries.map((d) => d.headers['webhook-id']))).toEqual(new Set([`msg_${jobId}`]));
    expect(new Set(tries.map((d) => JSON.parse(d.body).id))).toEqual(new Set([jobId]));
  });

  // https, so that the address check (not the http-to-loopback rule) is what refuses them.
  it.each([
    ['a private address', 'https://10.0.0.1/hook'],
    ['an IPv4-mapped private address', 'https://[::ffff:192.168.0.1]/hook'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/'],
  ])('refuses %s at submission with 400', async (_name, webhook) => {
    // Act
    const response = await fetch(`${url}/v1/classifications?${new URLSearchParams({ webhook, wait: '0' })}`, {
      method: 'POST',
      body: imageForm([{ bytes: tench, name: 'tench.jpg' }]),
    });
    // Assess
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/resolves to [0-9a-f.:]+, /i);
  });
});
