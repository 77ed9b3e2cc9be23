import type { NestExpressApplication } from '@nestjs/platform-express';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { eventually, startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { readPhoto } from '../support/images.js';
import type { Env } from '#core/config/env-schema.js';

async function startWeb(
  infra: TestInfrastructure,
  env: Env = {},
): Promise<{ app: NestExpressApplication; url: string }> {
  const config = loadWebConfig({ ...infra.env, PORT: '0', ...env });
  const app = await createWebApp(config, infra.clients, { logger: silentLogger() });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

function form(fields: Record<string, Array<{ bytes: Uint8Array; name: string; type?: string }>>): FormData {
  const body = new FormData();
  for (const [field, files] of Object.entries(fields)) {
    for (const file of files)
      body.append(field, new Blob([file.bytes], { type: file.type ?? 'image/jpeg' }), file.name);
  }
  return body;
}

describe('web tier over real HTTP, with a real worker and emulator', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let app: NestExpressApplication;
  let url: string;
  let tench: Buffer;
  let koala: Buffer;

  beforeAll(async () => {
    infra = await startTestInfrastructure({ GLIMPSE_MAX_UPLOAD_BYTES: String(400 * 1024) });
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    ({ app, url } = await startWeb(infra));
    tench = await readPhoto('n01440764_tench.JPEG');
    koala = await readPhoto('n01882714_koala.JPEG');
  });
  afterAll(async () => {
    await app?.close();
    await worker?.shutdown();
    await infra?.stop();
  });

  it('classifies several images in one request (field images) and answers 200', async () => {
    const response = await fetch(`${url}/v1/classifications?wait=20`, {
      method: 'POST',
      body: form({
        images: [
          { bytes: tench, name: 'tench.JPEG' },
          { bytes: koala, name: 'koala.JPEG' },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Array<Record<string, any>> };
    expect(items.map((i) => [i.filename, i.status, i.result.label])).toEqual([
      ['tench.JPEG', 'done', 'tench'],
      ['koala.JPEG', 'done', 'koala'],
    ]);
    expect(items[0]!.result.top5).toHaveLength(5);
    expect(items[0]!.url).toBe(`/v1/classifications/${items[0]!.id}`);
  });

  it('accepts the single field name image', async () => {
    const response = await fetch(`${url}/v1/classifications`, {
      method: 'POST',
      body: form({ image: [{ bytes: koala, name: 'k.jpg' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).items[0].result.label).toBe('koala');
  });

  it('answers 202 with wait=0 and the job is readable by id, with timings', async () => {
    const response = await fetch(`${url}/v1/classifications?wait=0`, {
      method: 'POST',
      body: form({ images: [{ bytes: tench, name: 'later.jpg' }] }),
    });
    expect(response.status).toBe(202);
    const [item] = ((await response.json()) as any).items;
    expect(item).toMatchObject({ status: 'queued', filename: 'later.jpg' });
    const done = await eventually(
      async () => {
        const body = (await (await fetch(`${url}${item.url}`)).json()) as any;
        return body.status === 'done' ? body : undefined;
      },
      20_000,
      'the job to finish',
    );
    expect(done).toMatchObject({
      id: item.id,
      filename: 'later.jpg',
      result: { label: 'tench' },
      model: 'mobilenetv2-12-int8',
    });
    expect(done.timings.inferenceMs).toBeGreaterThan(0);
    expect(done.timings.totalMs).toBeGreaterThanOrEqual(done.timings.inferenceMs);
  });

  it('serves the CSE546 contract: myfile or inputFile in, "<name>:<label>" text out', async () => {
    for (const field of ['myfile', 'inputFile']) {
      const response = await fetch(url, {
        method: 'POST',
        body: form({ [field]: [{ bytes: koala, name: 'test_07.jpg' }] }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe('test_07:koala');
    }
  });

  it('answers each concurrent CSE546 request with its own image', async () => {
    const photos = [
      ['a', tench, 'tench'],
      ['b', koala, 'koala'],
    ] as const;
    const requests = Array.from({ length: 12 }, (_, i) => photos[i % 2]!).map(async ([prefix, bytes, label], i) => {
      const response = await fetch(url, {
        method: 'POST',
        body: form({ myfile: [{ bytes, name: `${prefix}${i}.jpg` }] }),
      });
      return [await response.text(), `${prefix}${i}:${label}`];
    });
    for (const [answer, expected] of await Promise.all(requests)) expect(answer).toBe(expected);
  });

  it.each([
    ['no file', () => new FormData(), 400],
    [
      'a text file posing as a JPEG',
      () => form({ images: [{ bytes: Buffer.from('not an image at all'), name: 'x.jpg' }] }),
      415,
    ],
    [
      'an SVG',
      () =>
        form({
          images: [
            { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: 'x.svg', type: 'image/svg+xml' },
          ],
        }),
      415,
    ],
    [
      'a file over the size limit',
      () =>
        form({
          images: [
            {
              bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500 * 1024)]),
              name: 'big.jpg',
            },
          ],
        }),
      413,
    ],
    [
      'a file over the size limit that is no image either (judged on its first bytes: 415)',
      () => form({ images: [{ bytes: Buffer.alloc(500 * 1024, 0xff), name: 'big.jpg' }] }),
      415,
    ],
    ['an unknown field', () => form({ picture: [{ bytes: Buffer.from('x'), name: 'x.jpg' }] }), 400],
  ])('rejects %s with a JSON error', async (_name, body, status) => {
    const response = await fetch(`${url}/v1/classifications`, { method: 'POST', body: body() });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await response.json()) as any).statusCode).toBe(status);
  });

  it('rejects a bad wait and a bad or unknown id', async () => {
    const badWait = await fetch(`${url}/v1/classifications?wait=soon`, {
      method: 'POST',
      body: form({ images: [{ bytes: koala, name: 'k.jpg' }] }),
    });
    expect(badWait.status).toBe(400);
    expect((await fetch(`${url}/v1/classifications/not-a-uuid`)).status).toBe(400);
    expect((await fetch(`${url}/v1/classifications/8f14e45f-ceea-4e7a-9a1b-0c6d3e5f1a2b`)).status).toBe(404);
  });

  it('answers 422 on the CSE546 route for an image that cannot be decoded', async () => {
    const corrupt = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 1)]);
    const response = await fetch(url, {
      method: 'POST',
      body: form({ myfile: [{ bytes: corrupt, name: 'broken.jpg' }] }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'undecodable_image' });
  });

  it('classifies PNG and WebP uploads too', async () => {
    const png = await sharp(koala).png().toBuffer();
    const webp = await sharp(koala).webp({ quality: 95 }).toBuffer();
    const response = await fetch(`${url}/v1/classifications`, {
      method: 'POST',
      body: form({
        images: [
          { bytes: png, name: 'k.png', type: 'application/octet-stream' },
          { bytes: webp, name: 'k.webp' },
        ],
      }),
    });
    const { items } = (await response.json()) as any;
    expect(items.map((i: any) => i.result.label)).toEqual(['koala', 'koala']);
  });

  it('reports health, serves the upload page and documents every route in Swagger', async () => {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: { requestQueue: 'ok', responseQueue: 'ok', inputBucket: 'ok', outputBucket: 'ok' },
    });
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Choose images or drop them here');
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    const openapi = (await (await fetch(`${url}/docs/openapi.json`)).json()) as any;
    expect(Object.keys(openapi.paths).sort()).toEqual([
      '/',
      '/health',
      '/v1/batches/{id}',
      '/v1/batches/{id}/events',
      '/v1/classifications',
      '/v1/classifications/{id}',
      '/v1/metrics',
      '/v1/models',
    ]);
    // Without an in-memory series (as on AWS) metrics live in CloudWatch.
    const metrics = await fetch(`${url}/v1/metrics`);
    expect(metrics.status).toBe(404);
    expect(((await metrics.json()) as any).message).toMatch(/CloudWatch/);
    expect(Object.keys(openapi.paths['/']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(openapi.paths['/'].post.responses['200'].content)).toEqual(['text/plain']);
  });

  it('still answers GET by id after a web-tier restart (results come from the output bucket)', async () => {
    const response = await fetch(`${url}/v1/classifications`, {
      method: 'POST',
      body: form({ images: [{ bytes: koala, name: 'before-restart.jpg' }] }),
    });
    const [item] = ((await response.json()) as any).items;
    expect(item.status).toBe('done');
    await app.close();
    ({ app, url } = await startWeb(infra));
    const again = (await (await fetch(`${url}${item.url}`)).json()) as any;
    expect(again).toMatchObject({
      id: item.id,
      status: 'done',
      filename: 'before-restart.jpg',
      result: { label: 'koala' },
    });
  });
});

describe('CSE546 route with no worker running', () => {
  let infra: TestInfrastructure;
  let app: NestExpressApplication | undefined;
  let url: string;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    ({ app, url } = await startWeb(infra, { GLIMPSE_CSE546_TIMEOUT_SECONDS: '1' }));
  });
  afterAll(async () => {
    await app?.close();
    await infra?.stop();
  });

  it('answers 504 naming the job id after the configured limit, and the job stays queued', async () => {
    const body = new FormData();
    body.append('myfile', new Blob([await readPhoto('n01882714_koala.JPEG')]), 'k.jpg');
    const response = await fetch(url, { method: 'POST', body });
    expect(response.status).toBe(504);
    const error = (await response.json()) as any;
    expect(error.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(error.jobId);
    const later = (await (await fetch(`${url}/v1/classifications/${error.jobId}`)).json()) as any;
    expect(later).toMatchObject({ status: 'queued', filename: 'k.jpg' });
  });

  it('deletes its response queue at a clean shutdown', async () => {
    const list = async () =>
      (await infra.clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: infra.names.responseQueuePrefix })))
        .QueueUrls ?? [];
    expect(await list()).toHaveLength(1);
    const closing = app;
    app = undefined;
    await closing!.close();
    expect(await list()).toHaveLength(0);
  });
});
