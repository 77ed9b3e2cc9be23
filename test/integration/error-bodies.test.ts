import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadWebConfig } from '#core/config/web-config.js';
import type { Env } from '#core/config/env-schema.js';
import { describeError } from '#core/errors.js';
import { silentLogger, type Logger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { readPhoto } from '../support/images.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { recordingLogger } from '../support/logs.js';

interface WebApp {
  readonly app: NestExpressApplication;
  readonly url: string;
}

async function startWeb(infra: TestInfrastructure, env: Env, logger: Logger = silentLogger()): Promise<WebApp> {
  const app = await createWebApp(loadWebConfig({ ...infra.env, PORT: '0', ...env }), infra.clients, { logger });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

function photoForm(photo: Buffer): FormData {
  const body = new FormData();
  body.append('images', new Blob([photo], { type: 'image/jpeg' }), 'k.jpg');
  return body;
}

/** What no answer may carry: AWS resource names, account ids, stack frames, and the SDK's own words. */
function expectNothingLeaked(body: string, sdkWords: readonly string[]): void {
  expect(body).not.toMatch(/arn:aws|\b\d{12}\b|\n\s+at |\.ts:\d+|\.js:\d+|ECONNREFUSED|127\.0\.0\.1:\d+/);
  for (const words of sdkWords) expect(body).not.toContain(words);
}

/** The helmet headers every answer carries, whatever its type or status. */
function expectSecurityHeaders(response: Response, what: string): void {
  const headers = Object.fromEntries(
    [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'x-powered-by',
    ].map((name) => [name, response.headers.get(name)]),
  );
  expect([what, headers]).toEqual([
    what,
    {
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'x-powered-by': null,
    },
  ]);
}

// nestjs-pino logs every app of a process through the first one's logger: the block that reads the log comes first.
describe('error bodies when the SDK fails', () => {
  const { logger, records } = recordingLogger('web');
  let infra: TestInfrastructure;
  let web: WebApp;
  let photo: Buffer;
  let sdkWords: string[];

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    // Buckets that do not exist: every S3 call of the app fails in the SDK.
    const missing = { GLIMPSE_INPUT_BUCKET: 'glimpse-no-such-input', GLIMPSE_OUTPUT_BUCKET: 'glimpse-no-such-output' };
    web = await startWeb(infra, missing, logger);
    photo = await readPhoto('n01882714_koala.JPEG');
    // The SDK's own words for this failure, as a direct call gets them.
    const failure = await infra.clients.s3
      .send(new PutObjectCommand({ Bucket: missing.GLIMPSE_INPUT_BUCKET, Key: 'x', Body: 'x' }))
      .catch((error: Error) => error);
    sdkWords = [(failure as Error).name, (failure as Error).message];
    expect(describeError(failure)).toMatch(/NoSuchBucket/);
  });
  afterAll(async () => {
    await web?.app.close();
    await infra?.stop();
  });

  it('answers an upload that cannot be stored with its own words and the request id; the log has the detail', async () => {
    // Act
    const response = await fetch(`${web.url}/v1/classifications`, { method: 'POST', body: photoForm(photo) });

    // Assess
    const body = await response.text();
    expect(response.status).toBe(503);
    expectNothingLeaked(body, sdkWords);
    const requestId = response.headers.get('x-request-id');
    expect(JSON.parse(body)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'could not store the upload; nothing was queued',
      queuedJobIds: [],
      requestId,
    });
    expect(records).toContainEqual(
      expect.objectContaining({ requestId, msg: 'request failed', error: expect.stringContaining('NoSuchBucket') }),
    );
  });

  it('reports the buckets unreachable in /health, in its own words', async () => {
    // Act
    const response = await fetch(`${web.url}/health`);

    // Assess
    const body = await response.text();
    expect(response.status).toBe(503);
    expectNothingLeaked(body, sdkWords);
    expect(JSON.parse(body)).toMatchObject({
      status: 'unavailable',
      checks: { requestQueue: 'ok', inputBucket: 'bucket unreachable', outputBucket: 'bucket unreachable' },
    });
  });
});

describe('security headers on every answer', () => {
  const key = randomBytes(24).toString('base64url');
  let infra: TestInfrastructure;
  let web: WebApp;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    web = await startWeb(infra, { GLIMPSE_API_KEYS: createHash('sha256').update(key).digest('hex') });
  });
  afterAll(async () => {
    await web?.app.close();
    await infra?.stop();
  });

  it.each([
    ['the API (health)', '/health', {}, 200],
    ['the upload page', '/', {}, 200],
    ['its script', '/upload-page.js', {}, 200],
    ['Swagger UI', '/docs', {}, 200],
    ['the OpenAPI document', '/docs/openapi.json', {}, 200],
    ['a refused key', '/v1/metrics', {}, 401],
    ['a bad id', '/v1/classifications/not-a-uuid', { 'X-Api-Key': key }, 400],
    ['an unknown route', '/v1/nothing-here', {}, 404],
  ])('on %s', async (what, route, headers: Record<string, string>, status) => {
    // Act
    const response = await fetch(`${web.url}${route}`, { headers });

    // Assess
    expect([what, response.status]).toEqual([what, status]);
    expectSecurityHeaders(response, what);
  });

  it('keeps inline styles out of every policy but Swagger UI, which needs them, and inline scripts out of all', async () => {
    // Act
    const page = (await fetch(web.url)).headers.get('content-security-policy')!;
    const docs = (await fetch(`${web.url}/docs`)).headers.get('content-security-policy')!;

    // Assess
    expect(page).toContain("style-src 'self';");
    expect(page).toContain("img-src 'self' blob:");
    expect(docs).toContain("style-src 'self' 'unsafe-inline'");
    for (const policy of [page, docs]) {
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("frame-ancestors 'none'");
    }
  });
});

describe('error bodies with the emulator stopped', () => {
  let infra: TestInfrastructure;
  let web: WebApp;
  let photo: Buffer;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    web = await startWeb(infra, {});
    photo = await readPhoto('n01882714_koala.JPEG');
    await infra.emulator.stop();
  });
  afterAll(async () => {
    await web?.app.close();
    await infra?.stop();
  });

  it.each([
    ['an upload', () => fetch(`${web.url}/v1/classifications`, { method: 'POST', body: photoForm(photo) }), 503],
    ['a job read', () => fetch(`${web.url}/v1/classifications/${randomUUID()}`), 500],
    ['health', () => fetch(`${web.url}/health`), 503],
  ])('answers %s without naming the endpoint or the connection error', async (_story, request, status) => {
    // Act
    const response = await request();

    // Assess
    const body = await response.text();
    expect(response.status).toBe(status);
    expectNothingLeaked(body, [infra.emulator.endpoint]);
    expect(body).toMatch(/requestId|unreachable/);
  });
});
