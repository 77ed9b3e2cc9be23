import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { MetricSeries } from '#core/metrics/metric-series.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { readPhoto } from '../support/images.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { recordingLogger } from '../support/logs.js';
import { digestOf, newKey, photoForm, startWeb, type WebApp } from '../support/web-edge.js';

type Credentials = Record<string, string>;
const bearer = (key: string): Credentials => ({ Authorization: `Bearer ${key}` });
const apiKeyHeader = (key: string): Credentials => ({ 'X-Api-Key': key });

/** Every route the app's router serves, as `METHOD /path` with Express's `:param` placeholders. */
function routesOf(app: NestExpressApplication): string[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router;
  return router.stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`) : [],
  );
}
interface RouterLayer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

/**
 * How to call each /v1 route so that it succeeds, and what success is. The test fails for a route
 * of the app missing here: a new route cannot go untested for its key.
 */
function v1Calls(photo: Buffer, knownJobId: () => string) {
  return {
    'POST /v1/classifications': {
      call: (url: string, headers: Credentials) =>
        fetch(`${url}/v1/classifications?wait=0`, { method: 'POST', headers, body: photoForm(photo) }),
      succeeds: 202,
    },
    'GET /v1/classifications/:id': {
      call: (url: string, headers: Credentials) => fetch(`${url}/v1/classifications/${knownJobId()}`, { headers }),
      succeeds: 200,
    },
    // A job no one knows: past the key check the route answers 404 (a real job may be done or not yet).
    'DELETE /v1/classifications/:id': {
      call: (url: string, headers: Credentials) =>
        fetch(`${url}/v1/classifications/${randomUUID()}`, { method: 'DELETE', headers }),
      succeeds: 404,
    },
    // A batch no one knows: past the key check both batch routes answer 404 (before any event).
    'GET /v1/batches/:id': {
      call: (url: string, headers: Credentials) => fetch(`${url}/v1/batches/${randomUUID()}`, { headers }),
      succeeds: 404,
    },
    'GET /v1/batches/:id/events': {
      call: (url: string, headers: Credentials) => fetch(`${url}/v1/batches/${randomUUID()}/events`, { headers }),
      succeeds: 404,
    },
    'GET /v1/metrics': {
      call: (url: string, headers: Credentials) => fetch(`${url}/v1/metrics`, { headers }),
      succeeds: 200,
    },
    'GET /v1/models': {
      call: (url: string, headers: Credentials) => fetch(`${url}/v1/models`, { headers }),
      succeeds: 200,
    },
  } as const;
}

async function expectRefused(response: Response, presented: boolean): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ statusCode: 401, error: 'Unauthorized', requestId: expect.any(String) });
  expect(body.message).toMatch(presented ? /not valid/ : /API key is required/);
}

describe('API keys over real HTTP, with a worker and the emulator', () => {
  const keys = [newKey(), newKey()];
  const { logger, records } = recordingLogger('web');
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let web: WebApp;
  let photo: Buffer;
  let jobId = '';

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    web = await startWeb(
      infra,
      { GLIMPSE_API_KEYS: keys.map(digestOf).join(',') },
      { logger, metrics: new MetricSeries() },
    );
    photo = await readPhoto('n01882714_koala.JPEG');
    const queued = await fetch(`${web.url}/v1/classifications?wait=0`, {
      method: 'POST',
      headers: bearer(keys[0]!),
      body: photoForm(photo),
    });
    jobId = ((await queued.json()) as { items: Array<{ id: string }> }).items[0]!.id;
  });
  afterAll(async () => {
    await web?.app.close();
    await worker?.shutdown();
    await infra?.stop();
  });

  it('knows how to call every /v1 route the router serves (a new route must be added here)', () => {
    // Act
    const v1Routes = routesOf(web.app).filter((route) => route.split(' ')[1]!.startsWith('/v1/'));

    // Assess
    expect(v1Routes.sort()).toEqual(Object.keys(v1Calls(photo, () => jobId)).sort());
  });

  it.each(Object.keys(v1Calls(Buffer.alloc(0), () => '')))(
    '%s: 401 without a key and with a wrong one (both headers), success with a right one (both headers)',
    async (route) => {
      // Prepare: no key, a wrong key in each header, another scheme (each with whether a key was presented)
      const { call, succeeds } = v1Calls(photo, () => jobId)[route as keyof ReturnType<typeof v1Calls>];
      const refusals: Array<[Credentials, boolean]> = [
        [{}, false],
        [bearer(newKey()), true],
        [apiKeyHeader(newKey()), true],
        [{ Authorization: `Basic ${keys[0]}` }, false],
      ];
      const rightKeys = [bearer(keys[0]!), apiKeyHeader(keys[1]!)];

      // Act
      const refused: Response[] = [];
      for (const [headers] of refusals) refused.push(await call(web.url, headers));
      const admitted: Response[] = [];
      for (const headers of rightKeys) admitted.push(await call(web.url, headers));

      // Assess
      for (const [index, response] of refused.entries()) await expectRefused(response, refusals[index]![1]);
      expect([route, ...admitted.map((response) => response.status)]).toEqual([route, succeeds, succeeds]);
      await Promise.all(admitted.map((response) => response.arrayBuffer()));
    },
  );

  it('documents the key schemes and the 401 on every /v1 operation, and POST / as optional', async () => {
    // Act
    const document = (await (await fetch(`${web.url}/docs/openapi.json`)).json()) as OpenApi;

    // Assess
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
    const v1 = Object.entries(document.paths).filter(([route]) => route.startsWith('/v1/'));
    const operations = v1.flatMap(([route, methods]) => Object.entries(methods).map(([m, op]) => [route, m, op]));
    expect(operations.length).toBeGreaterThanOrEqual(4);
    for (const [route, method, operation] of operations as Array<[string, string, OpenApiOperation]>) {
      expect([route, method, operation.security]).toEqual([route, method, [{ bearer: [] }, { 'api-key': [] }]]);
      expect([route, method, Object.keys(operation.responses)]).toEqual([
        route,
        method,
        expect.arrayContaining(['401']),
      ]);
    }
    expect(document.paths['/']!.post!.security).toEqual([{}, { bearer: [] }, { 'api-key': [] }]);
  });

  it('leaves POST / (CSE546) open by default: no key, a plain-text answer', async () => {
    // Act
    const response = await fetch(web.url, {
      method: 'POST',
      body: photoForm(photo, { field: 'myfile', name: 'test_07.jpg' }),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('test_07:koala');
  });

  it.each([
    ['/health', /^application\/json/],
    ['/docs', /^text\/html/],
    ['/docs/openapi.json', /^application\/json/],
    ['/', /^text\/html/],
    ['/upload-page.js', /^text\/javascript/],
  ])('leaves %s open', async (route, type) => {
    // Act
    const response = await fetch(`${web.url}${route}`);

    // Assess
    expect([route, response.status, response.headers.get('content-type')]).toEqual([
      route,
      200,
      expect.stringMatching(type),
    ]);
  });

  it('logs a short prefix of the key digest on the request line, and never a key', async () => {
    // Act
    await (
      await fetch(`${web.url}/v1/metrics`, { headers: { ...bearer(keys[1]!), 'X-Request-Id': 'keyed-1' } })
    ).text();

    // Assess
    const line = records.find((record) => record.requestId === 'keyed-1' && record.msg === 'request completed');
    expect(line).toMatchObject({
      keyId: digestOf(keys[1]!).slice(0, 8),
      req: { headers: { authorization: '[redacted]' } },
    });
    const written = JSON.stringify(records);
    for (const key of keys) expect(written).not.toContain(key);
    expect(written).not.toContain(digestOf(keys[1]!));
  });
});

describe('API keys from a file, with POST / locked too', () => {
  const key = newKey();
  let infra: TestInfrastructure;
  let web: WebApp;
  let photo: Buffer;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    const file = path.join(infra.dataDir, 'api-keys');
    await writeFile(file, `# the digests of the keys given to clients\n\n${digestOf(key)}  # client A\n`);
    web = await startWeb(
      infra,
      { GLIMPSE_API_KEYS_FILE: file, GLIMPSE_CSE546_REQUIRES_KEY: 'true', GLIMPSE_CSE546_TIMEOUT_SECONDS: '1' },
      { metrics: new MetricSeries() },
    );
    photo = await readPhoto('n01882714_koala.JPEG');
  });
  afterAll(async () => {
    await web?.app.close();
    await infra?.stop();
  });

  it('accepts the key whose digest the file holds, and refuses others', async () => {
    // Act
    const withoutKey = await fetch(`${web.url}/v1/metrics`);
    const withOtherKey = await fetch(`${web.url}/v1/metrics`, { headers: bearer(newKey()) });
    const withKey = await fetch(`${web.url}/v1/metrics`, { headers: apiKeyHeader(key) });

    // Assess
    await expectRefused(withoutKey, false);
    await expectRefused(withOtherKey, true);
    expect(withKey.status).toBe(200);
  });

  it('asks for a key on POST / with GLIMPSE_CSE546_REQUIRES_KEY=true, before reading the upload', async () => {
    // Act
    const refused = await fetch(web.url, { method: 'POST', body: photoForm(photo, { field: 'myfile' }) });
    // No worker runs here: an admitted upload is queued and times out (504) after the 1 s limit.
    const admitted = await fetch(web.url, {
      method: 'POST',
      headers: bearer(key),
      body: photoForm(photo, { field: 'myfile' }),
    });

    // Assess
    await expectRefused(refused, false);
    expect(admitted.status).toBe(504);
  });
});

interface OpenApiOperation {
  readonly security?: unknown;
  readonly responses: Record<string, unknown>;
}
interface OpenApi {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: { readonly securitySchemes: Record<string, unknown> };
}
