import { randomUUID } from 'node:crypto';
import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ModelList } from '#core/contracts/model-listing.js';
import { describeError } from '#core/errors.js';
import { readPhoto } from '../support/images.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { recordingLogger } from '../support/logs.js';
import { writeModelFolder } from '../support/model-folders.js';
import { digestOf, newKey, photoForm, startWeb, type WebApp } from '../support/web-edge.js';

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
    web = await startWeb(infra, missing, { logger });
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
  const key = newKey();
  let infra: TestInfrastructure;
  let web: WebApp;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    web = await startWeb(infra, { GLIMPSE_API_KEYS: digestOf(key) });
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

describe('models that cannot be served, in their own words', () => {
  let infra: TestInfrastructure;
  let modelDir: string;
  let photo: Buffer;

  const reasonsOf = async (web: WebApp) => {
    const response = await fetch(`${web.url}/v1/models`);
    const body = await response.text();
    const list = JSON.parse(body) as ModelList;
    return { body, reasons: list.models.map((model) => [model.name, model.reason ?? 'available']) };
  };

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    modelDir = path.join(infra.dataDir, 'model-folders');
    // A labels file even root cannot read (the start of a process's memory is not mapped).
    const unreadable = await writeModelFolder(modelDir, 'unreadable');
    await rm(path.join(unreadable, 'labels.txt'));
    await symlink('/proc/self/mem', path.join(unreadable, 'labels.txt'));
    await writeModelFolder(modelDir, 'pets');
    photo = await readPhoto('n01882714_koala.JPEG');
  });
  afterAll(async () => infra?.stop());

  it('names a file it cannot read by the folder and the error code, in the list and the 422', async () => {
    // Prepare
    const web = await startWeb(infra, {
      GLIMPSE_MODELS: 'mobilenetv2-12-int8,unreadable',
      GLIMPSE_MODEL_DIR: modelDir,
    });

    // Act
    const listed = await reasonsOf(web);
    const refused = await fetch(`${web.url}/v1/classifications?model=unreadable`, {
      method: 'POST',
      body: photoForm(photo),
    });
    const refusal = await refused.text();
    await web.app.close();

    // Assess
    expect(listed.reasons).toEqual([
      ['mobilenetv2-12-int8', 'available'],
      ['unreadable', 'unreadable/labels.txt: cannot be read (EIO)'],
    ]);
    expect(refused.status).toBe(422);
    expect(JSON.parse(refusal)).toMatchObject({ message: expect.stringContaining('cannot be read (EIO)') });
    for (const body of [listed.body, refusal]) expect(body).not.toContain(infra.dataDir);
  });

  it('lists a model the models bucket could not copy as unavailable; the SDK words only in the log', async () => {
    // Prepare: an older copy of the folder on disk; a models bucket that does not exist
    const { logger, records } = recordingLogger('web');
    const web = await startWeb(
      infra,
      {
        GLIMPSE_MODELS: 'mobilenetv2-12-int8,pets',
        GLIMPSE_MODEL_DIR: modelDir,
        GLIMPSE_MODELS_BUCKET: 'glimpse-no-such-models',
      },
      { logger },
    );

    // Act
    const listed = await reasonsOf(web);
    await web.app.close();

    // Assess
    expect(listed.reasons).toEqual([
      ['mobilenetv2-12-int8', 'available'],
      ['pets', 'pets: could not be copied from the models bucket; see the server log'],
    ]);
    expectNothingLeaked(listed.body, ['NoSuchBucket', 'glimpse-no-such-models']);
    expect(records).toContainEqual(
      expect.objectContaining({ model: 'pets', error: expect.stringContaining('NoSuchBucket') }),
    );
  });
});
