import type { NestExpressApplication } from '@nestjs/platform-express';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { eventually, startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { loadLabelledPhotos, readPhoto, type LabelledPhoto } from '../support/images.js';

interface Item {
  id: string;
  filename: string;
  status: string;
  result?: { index: number };
}

async function startWeb(infra: TestInfrastructure, instanceId: string): Promise<NestExpressApplication> {
  const config = loadWebConfig({ ...infra.env, PORT: '0', GLIMPSE_INSTANCE_ID: instanceId });
  const app = await createWebApp(config, infra.clients, { logger: silentLogger() });
  await app.listen(0, '127.0.0.1');
  return app;
}

async function classify(app: NestExpressApplication, photo: LabelledPhoto, wait: number): Promise<Item> {
  const body = new FormData();
  body.append('images', new Blob([await readPhoto(photo.filename)], { type: 'image/jpeg' }), photo.filename);
  const response = await fetch(`${await app.getUrl()}/v1/classifications?wait=${wait}`, { method: 'POST', body });
  return ((await response.json()) as { items: Item[] }).items[0]!;
}

describe('several web processes on one set of queues', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let photos: LabelledPhoto[];

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    photos = (await loadLabelledPhotos()).slice(0, 16);
  });
  afterAll(async () => {
    await worker?.shutdown();
    await infra?.stop();
  });

  it('each answers its own requests, for a client that alternates between them', async () => {
    // Prepare
    const apps = [await startWeb(infra, 'web-a'), await startWeb(infra, 'web-b')];
    try {
      // Act
      const items = await Promise.all(photos.map((photo, n) => classify(apps[n % 2]!, photo, 60)));

      // Assess
      expect(items.map((item) => [item.filename, item.status])).toEqual(
        photos.map((photo) => [photo.filename, 'done']),
      );
      expect(items.map((item) => item.result?.index)).toEqual(photos.map((photo) => photo.mobilenetTop1));
      const { QueueUrls } = await infra.clients.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: infra.names.responseQueuePrefix }),
      );
      expect(QueueUrls?.filter((url) => /web-a|web-b/.test(url))).toHaveLength(2);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });

  it('loses nothing when a process restarts while its requests wait: every job completes, readable by id', async () => {
    // Prepare: jobs submitted through a process that then stops before their results come
    await worker.queueWorker.stop();
    const first = await startWeb(infra, 'web-restarting');
    const submitted = await Promise.all(photos.slice(0, 6).map((photo) => classify(first, photo, 0)));
    await first.close();
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());

    // Act: the process comes back (a new instance) and the client asks for its jobs by id
    const restarted = await startWeb(infra, 'web-restarting');
    try {
      const url = await restarted.getUrl();
      const finished = await Promise.all(
        submitted.map((item) =>
          eventually(
            async () => {
              const read = (await (await fetch(`${url}/v1/classifications/${item.id}`)).json()) as Item;
              return read.status === 'done' ? read : undefined;
            },
            30_000,
            `job ${item.id}`,
          ),
        ),
      );

      // Assess
      expect(submitted.every((item) => item.status === 'queued')).toBe(true);
      expect(finished.map((item) => item.result?.index)).toEqual(
        photos.slice(0, 6).map((photo) => photo.mobilenetTop1),
      );
    } finally {
      await restarted.close();
    }
  });
});
