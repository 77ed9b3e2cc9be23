import { randomUUID } from 'node:crypto';
import { readPhoto } from '../support/images.js';
import { queueCounts, startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { digestOf, newKey, startWeb, type WebApp } from '../support/web-edge.js';

/** A job id no job has: its route answers 404, a cheap request that still counts. */
const unknownJob = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/classifications/${randomUUID()}`, { headers });

/** The statuses of `count` requests made one after the other. */
async function statuses(count: number, request: () => Promise<Response>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await request();
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

async function expectLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await response.json()).toMatchObject({
    statusCode: 429,
    error: 'Too Many Requests',
    retryAfterSeconds: retryAfter,
    requestId: expect.any(String),
  });
}

describe('requests a minute, per key and per client address', () => {
  const [keyA, keyB] = [newKey(), newKey()];
  let infra: TestInfrastructure;
  let web: WebApp;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    web = await startWeb(infra, {
      GLIMPSE_API_KEYS: [keyA, keyB].map(digestOf).join(','),
      GLIMPSE_REQUESTS_PER_MINUTE: '3',
    });
  });
  afterAll(async () => {
    await web?.app.close();
    await infra?.stop();
  });

  it('answers 429 with Retry-After past the limit of a key, whichever routes it calls', async () => {
    // Prepare
    const headers = { 'X-Api-Key': keyA };
    await (await fetch(`${web.url}/v1/metrics`, { headers })).arrayBuffer();

    // Act
    const seen = await statuses(2, () => unknownJob(web.url, headers));
    const past = await unknownJob(web.url, headers);

    // Assess
    expect(seen).toEqual([404, 404]);
    await expectLimited(past);
  });

  it('keeps another key within its own budget', async () => {
    // Act
    const seen = await statuses(3, () => unknownJob(web.url, { Authorization: `Bearer ${keyB}` }));

    // Assess
    expect(seen).toEqual([404, 404, 404]);
  });

  it('counts requests with no valid key by address, before the key is checked', async () => {
    // Act: wrong keys from this address, then no key at all
    const seen = await statuses(3, () => unknownJob(web.url, { 'X-Api-Key': newKey() }));
    const past = await unknownJob(web.url);

    // Assess
    expect(seen).toEqual([401, 401, 401]);
    await expectLimited(past);
  });

  it('does not limit health', async () => {
    expect(new Set(await statuses(6, () => fetch(`${web.url}/health`)))).toEqual(new Set([200]));
  });
});

describe('client addresses behind a trusted proxy', () => {
  let infra: TestInfrastructure;
  const limits = { GLIMPSE_REQUESTS_PER_MINUTE: '2' };

  beforeAll(async () => {
    infra = await startTestInfrastructure();
  });
  afterAll(async () => infra?.stop());

  it('counts each forwarded client apart when GLIMPSE_TRUST_PROXY names the proxy', async () => {
    // Prepare
    const web = await startWeb(infra, { ...limits, GLIMPSE_TRUST_PROXY: 'loopback' });
    const from = (client: string) => () => unknownJob(web.url, { 'X-Forwarded-For': client });

    // Act
    const first = await statuses(3, from('203.0.113.5'));
    const second = await statuses(2, from('203.0.113.6'));
    await web.app.close();

    // Assess
    expect(first).toEqual([404, 404, 429]);
    expect(second).toEqual([404, 404]);
  });

  it('ignores X-Forwarded-For from a client when no proxy is trusted (it cannot buy a new budget)', async () => {
    // Prepare
    const web = await startWeb(infra, limits);

    // Act
    const seen = await statuses(3, () => unknownJob(web.url, { 'X-Forwarded-For': randomUUID().slice(0, 8) }));
    await web.app.close();

    // Assess
    expect(seen).toEqual([404, 404, 429]);
  });
});

describe('images a minute per key, counted before any job is made', () => {
  const [keyA, keyB] = [newKey(), newKey()];
  let infra: TestInfrastructure;
  let web: WebApp;
  let photo: Buffer;

  const upload = (key: string, count: number) => {
    const body = new FormData();
    for (let i = 0; i < count; i++) body.append('images', new Blob([photo], { type: 'image/jpeg' }), `${i}.jpg`);
    return fetch(`${web.url}/v1/classifications?wait=0`, { method: 'POST', headers: { 'X-Api-Key': key }, body });
  };

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    web = await startWeb(infra, {
      GLIMPSE_API_KEYS: [keyA, keyB].map(digestOf).join(','),
      GLIMPSE_MAX_FILES: '3',
      GLIMPSE_IMAGES_PER_MINUTE: '4',
    });
    photo = await readPhoto('n01882714_koala.JPEG');
  });
  afterAll(async () => {
    await web?.app.close();
    await infra?.stop();
  });

  it('refuses a whole request that would pass the cap, queueing none of its images; another key still uploads', async () => {
    // Act
    const first = await upload(keyA, 3);
    const refused = await upload(keyA, 2);
    const otherKey = await upload(keyB, 3);
    const stillFits = await upload(keyA, 1);

    // Assess
    expect([first.status, otherKey.status, stillFits.status]).toEqual([202, 202, 202]);
    await expectLimited(refused);
    // 3 + 3 + 1 jobs: none of the refused request's 2 images became a job (no worker takes any here).
    const counts = await queueCounts(infra, infra.queues.requestQueueUrl);
    expect(counts.visible + counts.inFlight).toBe(7);
  });
});
