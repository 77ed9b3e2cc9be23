import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { readPhoto } from '../support/images.js';
import { eventually, startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';

interface StreamedEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: any;
}

/** The events of a whole Server-Sent Events body (comments skipped). */
function parseEvents(body: string): StreamedEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const fields = new Map(
        block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      return {
        event: fields.get('event') ?? 'message',
        id: fields.get('id'),
        data: JSON.parse(fields.get('data') ?? 'null'),
      };
    });
}

/** A five-file request answered at once (`wait=0`): its batch id and its jobs' ids, in upload order. */
async function postFiveFiles(url: string, photo: Uint8Array): Promise<{ batchId: string; jobIds: string[] }> {
  const body = new FormData();
  for (let index = 0; index < 5; index++)
    body.append('images', new Blob([photo], { type: 'image/jpeg' }), `tench-${index}.jpg`);
  const response = await fetch(`${url}/v1/classifications?wait=0`, { method: 'POST', body });
  expect(response.status).toBe(202);
  const { items } = (await response.json()) as { items: Array<{ id: string; batchId: string }> };
  const batchId = items[0]!.batchId;
  expect(items.map((item) => item.batchId)).toEqual([batchId, batchId, batchId, batchId, batchId]);
  return { batchId, jobIds: items.map((item) => item.id) };
}

describe("a five-file request's batch and its event stream, with the web tier, a real worker and the emulator", () => {
  let infra: TestInfrastructure;
  let apps: NestExpressApplication[];
  /** Two web processes: requests go to the first, event streams to the second (a batch is in the bucket). */
  let url: string;
  let otherUrl: string;
  let worker: RunningWorker | undefined;
  let tench: Uint8Array;

  beforeAll(async () => {
    [infra, tench] = await Promise.all([startTestInfrastructure(), readPhoto('n01440764_tench.JPEG')]);
    apps = await Promise.all(
      ['web-a', 'web-b'].map((instance) =>
        createWebApp(loadWebConfig({ ...infra.env, PORT: '0', GLIMPSE_INSTANCE_ID: instance }), infra.clients, {
          logger: silentLogger(),
        }),
      ),
    );
    const urls = await Promise.all(apps.map((app) => app.listen(0, '127.0.0.1').then(() => app.getUrl())));
    [url, otherUrl] = [urls[0]!, urls[1]!];
  });
  afterAll(async () => {
    await Promise.all([...(apps ?? []).map((app) => app.close()), worker?.shutdown()]);
    await infra?.stop();
  });

  it('lists a batch of five queued jobs in upload order; another web process streams each as it ends, then ends', async () => {
    // Prepare
    const { batchId, jobIds } = await postFiveFiles(url, tench);
    const listed = (await (await fetch(`${url}/v1/batches/${batchId}`)).json()) as any;
    expect(listed.id).toBe(batchId);
    expect(listed.items.map((item: any) => [item.id, item.filename, item.status])).toEqual(
      jobIds.map((id, index) => [id, `tench-${index}.jpg`, 'queued']),
    );

    // Act
    const response = await fetch(`${otherUrl}/v1/batches/${batchId}/events`, {
      signal: AbortSignal.timeout(60_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    const events = parseEvents(await response.text());

    // Assess
    expect(events.map((event) => event.event)).toEqual(['item', 'item', 'item', 'item', 'item', 'end']);
    const items = events.slice(0, 5);
    expect(items.map((event) => event.id).sort()).toEqual([...jobIds].sort());
    expect(items.map((event) => [event.data.id, event.data.status, event.data.result.label])).toEqual(
      items.map((event) => [event.id, 'done', 'tench']),
    );
    expect(items.every((event) => event.data.timings.totalMs >= 0)).toBe(true);
    expect(events[5]!.data).toEqual({ id: batchId, items: 5 });
    const ended = (await (await fetch(`${url}/v1/batches/${batchId}`)).json()) as any;
    expect(ended.items.map((item: any) => item.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
  });

  it('sends the items of jobs that ended before the stream opened at once, then ends', async () => {
    // Prepare
    const { batchId } = await postFiveFiles(url, tench);
    await eventuallyEnded(url, batchId);

    // Act
    const started = Date.now();
    const events = parseEvents(await (await fetch(`${url}/v1/batches/${batchId}/events`)).text());

    // Assess
    expect(events.map((event) => event.event)).toEqual(['item', 'item', 'item', 'item', 'item', 'end']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers 404 for an unknown batch on both routes, and 400 for an id that is not a UUID', async () => {
    const unknown = randomUUID();
    for (const path of [`/v1/batches/${unknown}`, `/v1/batches/${unknown}/events`]) {
      const response = await fetch(`${url}${path}`);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([
        path,
        404,
        expect.stringMatching(/^application\/json/),
      ]);
    }
    expect((await fetch(`${url}/v1/batches/not-a-uuid`)).status).toBe(400);
  });
});

/** Waits until every item of the batch has ended. */
async function eventuallyEnded(url: string, batchId: string): Promise<void> {
  await eventually(
    async () => {
      const { items } = (await (await fetch(`${url}/v1/batches/${batchId}`)).json()) as {
        items: Array<{ status: string }>;
      };
      return items.every((item) => item.status !== 'queued') || undefined;
    },
    60_000,
    `every job of batch ${batchId} to end`,
  );
}
