import type { NestExpressApplication } from '@nestjs/platform-express';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Env } from '#core/config/env-schema.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { pixelsKeyFor } from '#core/storage/object-keys.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { readPhoto } from '../support/images.js';

/** Photos of several shapes: landscape, portrait, small, and a one-channel grayscale JPEG. */
const PHOTOS = [
  'n01440764_tench.JPEG',
  'n01882714_koala.JPEG',
  'n02692877_airship.JPEG',
  'n03908714_pencil_sharpener.JPEG',
  'n04254680_soccer_ball.JPEG',
  'n01530575_brambling.JPEG',
];

interface Item {
  id: string;
  filename: string;
  status: string;
  result?: Record<string, unknown>;
  error?: { code: string };
}

async function startWeb(infra: TestInfrastructure, env: Env): Promise<NestExpressApplication> {
  const app = await createWebApp(loadWebConfig({ ...infra.env, PORT: '0', ...env }), infra.clients, {
    logger: silentLogger(),
  });
  await app.listen(0, '127.0.0.1');
  return app;
}

async function classify(app: NestExpressApplication, files: Array<[string, Uint8Array]>): Promise<Item[]> {
  const body = new FormData();
  for (const [name, bytes] of files) body.append('images', new Blob([bytes], { type: 'image/jpeg' }), name);
  const response = await fetch(`${await app.getUrl()}/v1/classifications?wait=60`, { method: 'POST', body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Item[] }).items;
}

describe('preprocessing at the web tier (GLIMPSE_PREPROCESS_AT=web)', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let webPreprocessing: NestExpressApplication;
  let workerPreprocessing: NestExpressApplication;
  let photos: Array<[string, Uint8Array]>;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    webPreprocessing = await startWeb(infra, { GLIMPSE_PREPROCESS_AT: 'web' });
    workerPreprocessing = await startWeb(infra, { GLIMPSE_PREPROCESS_AT: 'worker' });
    photos = await Promise.all(PHOTOS.map(async (name) => [name, await readPhoto(name)] as [string, Uint8Array]));
  });
  afterAll(async () => {
    await webPreprocessing?.close();
    await workerPreprocessing?.close();
    await worker?.shutdown();
    await infra?.stop();
  });

  it('gives predictions identical to the worker path, confidences and top five included', async () => {
    // Act
    const fromWeb = await classify(webPreprocessing, photos);
    const fromWorker = await classify(workerPreprocessing, photos);

    // Assess
    expect(fromWeb.map((item) => item.status)).toEqual(PHOTOS.map(() => 'done'));
    expect(fromWeb.map((item) => item.result)).toEqual(fromWorker.map((item) => item.result));
    expect(fromWeb.map((item) => item.result?.label)).toEqual([
      'tench',
      'koala',
      'airship',
      'pencil sharpener',
      'soccer ball',
      'brambling',
    ]);
  });

  it('stores the model-ready pixels beside the upload, and the worker does not decode', async () => {
    // Act
    const [item] = await classify(webPreprocessing, [photos[0]!]);
    const pixels = await infra.clients.s3.send(
      new GetObjectCommand({ Bucket: infra.names.inputBucket, Key: pixelsKeyFor(item!.id) }),
    );
    const job = (await (
      await fetch(`${await webPreprocessing.getUrl()}${'/v1/classifications/'}${item!.id}`)
    ).json()) as {
      timings: { preprocessMs: number };
    };

    // Assess
    expect((await pixels.Body!.transformToByteArray()).length).toBe(224 * 224 * 3);
    expect(job.timings.preprocessMs).toBe(0);
  });

  it('answers an upload that does not decode as failed, as the worker path does', async () => {
    // Act
    const [item] = await classify(webPreprocessing, [['broken.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2])]]);

    // Assess
    expect(item).toMatchObject({ status: 'failed', error: { code: 'undecodable_image' } });
  });
});
