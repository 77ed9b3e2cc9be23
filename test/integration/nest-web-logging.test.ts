import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadWebConfig } from '#core/config/web-config.js';
import { createWebApp } from '#web/app.factory.js';
import { readPhoto } from '../support/images.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { recordingLogger } from '../support/logs.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the web tier logs through one pino logger, each request under its id', () => {
  const { logger, records } = recordingLogger('web');
  let infra: TestInfrastructure;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    app = await createWebApp(loadWebConfig({ ...infra.env, PORT: '0' }), infra.clients, { logger });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await infra?.stop();
  });

  it("writes Nest's own lines as records of the same logger", () => {
    expect(records).toContainEqual(
      expect.objectContaining({ component: 'web', level: 'info', context: 'NestApplication' }),
    );
  });

  it('honours an incoming X-Request-Id: echoed, and on every record of that request', async () => {
    // Prepare
    const body = new FormData();
    body.append('images', new Blob([await readPhoto('n01882714_koala.JPEG')]), 'k.jpg');

    // Act
    const response = await fetch(`${url}/v1/classifications?wait=0`, {
      method: 'POST',
      body,
      headers: { 'X-Request-Id': 'client-req-42' },
    });

    // Assess
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('client-req-42');
    const [item] = ((await response.json()) as { items: Array<{ id: string }> }).items;
    const ofRequest = records.filter((record) => record.requestId === 'client-req-42');
    expect(ofRequest).toContainEqual(expect.objectContaining({ msg: 'jobs queued', jobIds: [item!.id] }));
    expect(ofRequest).toContainEqual(expect.objectContaining({ msg: 'request completed', res: expect.anything() }));
  });

  it.each([
    ['no X-Request-Id', {}],
    ['an X-Request-Id that could forge a log line', { 'X-Request-Id': 'a\tb{"level":"fatal"}' }],
  ])('gives a request with %s a new UUID', async (_story, headers: Record<string, string>) => {
    // Act
    const response = await fetch(`${url}/health`, { headers });

    // Assess
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect(records).toContainEqual(expect.objectContaining({ msg: 'request completed', requestId: id }));
  });
});
