import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Env } from '#core/config/env-schema.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { inputKeyFor } from '#core/storage/object-keys.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { pngHeader, readPhoto } from '../support/images.js';
import { eventually, startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { REPO_ROOT } from '../support/paths.js';
import { memoryOf } from '../support/stack-process.js';

const MiB = 1024 * 1024;
/** The hostile upload: files of 9.9 MiB, a JPEG signature followed by zeros. */
const FAKE_JPEG_BYTES = Math.round(9.9 * MiB);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const ZEROS = Buffer.alloc(MiB);
const DIST_WEB_ENTRY = path.join(REPO_ROOT, 'dist', 'nest-web', 'main.js');

/** A file of a multipart body: `head`, then zeros up to `bytes` (made as sent, never held whole). */
interface FakeFile {
  readonly field: string;
  readonly name: string;
  readonly bytes: number;
  readonly head?: Buffer;
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
  /** Body bytes the client had written when the answer came. */
  readonly sent: number;
}

const fakeJpegs = (count: number, field = 'images'): FakeFile[] =>
  Array.from({ length: count }, (_, i) => ({ field, name: `fake-${i}.jpg`, bytes: FAKE_JPEG_BYTES }));

/** The body's pieces: part headers, each file's head and its zeros in slices of 1 MiB, the closing line. */
function* bodyPieces(files: readonly FakeFile[], boundary: string): Generator<Buffer> {
  for (const file of files) {
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
        'Content-Type: image/jpeg\r\n\r\n',
    );
    const head = file.head ?? JPEG_SIGNATURE;
    yield head;
    for (let left = file.bytes - head.length; left > 0; left -= ZEROS.length) {
      yield ZEROS.subarray(0, Math.min(left, ZEROS.length));
    }
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

const bodyLength = (files: readonly FakeFile[], boundary: string) =>
  [...bodyPieces(files, boundary)].reduce((sum, piece) => sum + piece.length, 0);

/**
 * POSTs a multipart body streamed as it is made, with its Content-Length or chunked. Like curl, it
 * stops sending once the answer comes; a reset after the answer is no failure.
 */
function upload(url: string, files: readonly FakeFile[], { declareLength = true } = {}): Promise<Answer> {
  const boundary = `glimpse${Math.random().toString(16).slice(2)}`;
  const headers: http.OutgoingHttpHeaders = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (declareLength) headers['content-length'] = bodyLength(files, boundary);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers });
    let sent = 0;
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      const sentWhenAnswered = sent;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const json = /json/.test(response.headers['content-type'] ?? '');
        resolve({
          status: response.statusCode!,
          headers: response.headers,
          body: json ? JSON.parse(text) : text,
          sent: sentWhenAnswered,
        });
        request.destroy();
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      // Headers first, and a moment for a refusal made from them alone (as curl waits after
      // `Expect: 100-continue`): a body written into a socket the server already closed fails with
      // EPIPE before the answer can be read.
      request.flushHeaders();
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const piece of bodyPieces(files, boundary)) {
        if (answered || request.destroyed) return;
        sent += piece.length;
        if (!request.write(piece)) await drainedOrClosed(request);
      }
      if (!answered && !request.destroyed) request.end();
    })();
  });
}

function drainedOrClosed(request: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off('drain', done).off('close', done);
      resolve();
    };
    request.once('drain', done).once('close', done);
  });
}

/** Classifies one real photo on `url` (the service still answers right after the hostile requests). */
async function classifyPhoto(url: string): Promise<{ status: number; label?: string }> {
  const body = new FormData();
  body.append('images', new Blob([await readPhoto('n01440764_tench.JPEG')], { type: 'image/jpeg' }), 'tench.jpg');
  const response = await fetch(`${url}/v1/classifications?wait=30`, { method: 'POST', body });
  const json = (await response.json()) as any;
  return { status: response.status, label: json.items?.[0]?.result?.label };
}

/** Samples this process's RSS while `work` runs; the growth of its peak over the RSS before. */
async function rssGrowthDuring<T>(work: () => Promise<T>): Promise<{ result: T; growthMiB: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    return { result, growthMiB: (Math.max(peak, process.memoryUsage().rss) - before) / MiB };
  } finally {
    clearInterval(sampler);
  }
}

async function startWeb(
  infra: TestInfrastructure,
  env: Env = {},
): Promise<{ app: NestExpressApplication; url: string }> {
  const app = await createWebApp(loadWebConfig({ ...infra.env, PORT: '0', ...env }), infra.clients, {
    logger: silentLogger(),
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/** The files still spooled by the web apps of process `pid` (one spool folder per app). */
async function spooledFiles(pid: number): Promise<string[]> {
  const apps = (await readdir(os.tmpdir())).filter((name) => name.startsWith(`glimpse-uploads-${pid}-`));
  const requests = await Promise.all(
    apps.map(async (app) => (await readdir(path.join(os.tmpdir(), app)).catch(() => [])).map((r) => `${app}/${r}`)),
  );
  return requests.flat();
}

async function storedUploads(infra: TestInfrastructure): Promise<string[]> {
  const listing = await infra.clients.s3.send(new ListObjectsV2Command({ Bucket: infra.names.inputBucket }));
  return (listing.Contents ?? []).map((object) => object.Key!);
}

describe('upload limits over real HTTP (web tier in this process, real emulator and worker)', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let web: { app: NestExpressApplication; url: string };
  let tightWeb: { app: NestExpressApplication; url: string };

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    web = await startWeb(infra);
    tightWeb = await startWeb(infra, {
      GLIMPSE_MAX_REQUEST_BYTES: String(MiB),
      GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT: String(1.5 * MiB),
    });
  });
  afterAll(async () => {
    await web?.app.close();
    await tightWeb?.app.close();
    await worker?.shutdown();
    await infra?.stop();
  });

  it('refuses four parallel requests of 60 × 9.9 MiB at once by Content-Length (413), storing nothing', async () => {
    // Act
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => upload(`${web.url}/v1/classifications`, fakeJpegs(60))),
    );
    const elapsedMs = Date.now() - started;

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([413, 413, 413, 413]);
    expect(answers[0]!.body.message).toMatch(/over the request limit of 67108864 bytes/);
    expect(Math.max(...answers.map((answer) => answer.sent))).toBeLessThan(64 * MiB);
    expect(elapsedMs).toBeLessThan(5_000);
    expect(await storedUploads(infra)).toEqual([]);
  });

  it('counts the bytes of bodies without a length: > 600 MiB sent, 413 each, RSS far below, nothing stored', async () => {
    // Act
    const { result: answers, growthMiB } = await rssGrowthDuring(() =>
      Promise.all(
        Array.from({ length: 4 }, () =>
          upload(`${web.url}/v1/classifications`, fakeJpegs(16), { declareLength: false }),
        ),
      ),
    );

    // Assess
    const sentMiB = answers.reduce((sum, answer) => sum + answer.sent, 0) / MiB;
    process.stdout.write(
      `in-process web tier: sent ${Math.round(sentMiB)} MiB, RSS growth ${Math.round(growthMiB)} MiB\n`,
    );
    expect(answers.map((answer) => answer.status)).toEqual([413, 413, 413, 413]);
    expect(sentMiB).toBeGreaterThan(600);
    // Node reads a socket into fresh 64 KiB buffers and V8 frees them only once some 64 MiB of them
    // are dead: reading at loopback speed costs ~100 MiB whatever the volume (measured 86–111 MiB,
    // the same on a second and third round); what counts is that it does not grow with the bytes sent.
    expect(growthMiB).toBeLessThan(150);
    expect(await storedUploads(infra)).toEqual([]);
  }, 120_000);

  it.each([
    ['POST /v1/classifications', '/v1/classifications', 'images'],
    ['POST / (CSE546)', '/', 'myfile'],
  ])('%s refuses a 65000 × 65000 PNG header (422) before storing it', async (_route, route, field) => {
    // Act
    const answer = await upload(`${web.url}${route}`, [
      { field, name: 'bomb.png', bytes: pngHeader(65_000, 65_000).length, head: pngHeader(65_000, 65_000) },
    ]);

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      code: 'image_too_large',
      filename: 'bomb.png',
      width: 65_000,
      height: 65_000,
      maxInputPixels: 40_000_000,
    });
    expect(answer.body.message).toContain('bomb.png declares 65000x65000 pixels');
    expect(await storedUploads(infra)).toEqual([]);
  });

  it('applies the request cap to the CSE546 route too', async () => {
    // Act
    const answer = await upload(web.url, [{ field: 'myfile', name: 'big.jpg', bytes: 70 * MiB }]);

    // Assess
    expect(answer.status).toBe(413);
    expect(await storedUploads(infra)).toEqual([]);
  });

  it('answers a good photo right after the hostile requests', async () => {
    expect(await classifyPhoto(web.url)).toEqual({ status: 200, label: 'tench' });
  });

  it('stores an image larger than one multipart part (streamed in parts) whole, and the worker classifies it', async () => {
    // Prepare
    const noise = await sharp({
      create: {
        width: 2400,
        height: 2400,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg({ quality: 100 })
      .toBuffer();
    const body = new FormData();
    body.append('images', new Blob([noise], { type: 'image/jpeg' }), 'noise.jpg');

    // Act
    const response = await fetch(`${web.url}/v1/classifications?wait=30`, { method: 'POST', body });
    const [item] = ((await response.json()) as any).items;
    const stored = await infra.clients.s3.send(
      new HeadObjectCommand({ Bucket: infra.names.inputBucket, Key: inputKeyFor(item.id) }),
    );

    // Assess
    expect(noise.length).toBeGreaterThan(5 * MiB);
    expect(response.status).toBe(200);
    expect(item.status).toBe('done');
    expect(stored.ContentLength).toBe(noise.length);
    expect(stored.ContentType).toBe('image/jpeg');
  }, 60_000);

  it('answers 503 with Retry-After while the upload bytes in flight are full, and frees them when a client goes away', async () => {
    // Prepare: a client that declares 1 MiB, sends a little and stalls (1 of the 1.5 MiB in flight).
    const boundary = 'stalled';
    const stalled = http.request(`${tightWeb.url}/v1/classifications`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': MiB },
    });
    stalled.on('error', () => undefined);
    stalled.write(`--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="slow.jpg"\r\n\r\n`);
    stalled.write(JPEG_SIGNATURE);
    await once(stalled, 'socket');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Act
    const refused = await upload(`${tightWeb.url}/v1/classifications`, [
      { field: 'images', name: 'next.jpg', bytes: 900 * 1024 },
    ]);
    stalled.destroy();
    const afterAbort = await eventually(
      async () => {
        const answer = await classifyPhoto(tightWeb.url);
        return answer.status === 503 ? undefined : answer;
      },
      10_000,
      'the stalled client’s bytes to be released',
    );

    // Assess
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.body).toMatchObject({ statusCode: 503, retryAfterSeconds: 2 });
    expect(afterAbort).toEqual({ status: 200, label: 'tench' });
  });
  it("leaves no spooled file behind: each request's files go when its response closes", async () => {
    expect(
      await eventually(
        async () => ((await spooledFiles(process.pid)).length === 0 ? true : undefined),
        5_000,
        'the spools to be removed',
      ),
    ).toBe(true);
  });
});

/**
 * The acceptance, on the built web tier as its own process (so its peak RSS is its own):
 * `npm run build`, then `NODE_OPTIONS=--experimental-vm-modules npx jest test/integration/upload-limits.test.ts -t acceptance`.
 */
describe('acceptance: the built web tier as its own process', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    child = spawn(process.execPath, [DIST_WEB_ENTRY], {
      env: { ...infra.env, PORT: '0', GLIMPSE_INSTANCE_ID: 'acceptance' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`web tier did not start:\n${output}`)), 30_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!.replace('[::1]', '127.0.0.1'));
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => reject(new Error(`web tier exited with ${code}:\n${output}`)));
    });
  }, 60_000);
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await worker?.shutdown();
    await infra?.stop();
  });

  it('four parallel requests of 60 × 9.9 MiB: refused early (413), web peak RSS ≤ 400 MiB, nothing stored, a good photo answered', async () => {
    // Act
    const before = await memoryOf(child.pid!);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => upload(`${url}/v1/classifications`, fakeJpegs(60))),
    );
    const afterDeclared = await memoryOf(child.pid!);
    const chunked = await Promise.all(
      Array.from({ length: 4 }, () => upload(`${url}/v1/classifications`, fakeJpegs(16), { declareLength: false })),
    );
    const memory = await memoryOf(child.pid!);
    const stored = await storedUploads(infra);
    const photo = await classifyPhoto(url);

    // Assess
    process.stdout.write(
      `web tier (pid ${child.pid}): RSS ${before.rssMiB} MiB before (peak ${before.peakMiB}), ` +
        `${afterDeclared.rssMiB} MiB after the declared-length requests (peak ${afterDeclared.peakMiB}); ` +
        `peak RSS ${memory.peakMiB} MiB, RSS now ${memory.rssMiB} MiB; ` +
        `sent ${Math.round([...answers, ...chunked].reduce((sum, a) => sum + a.sent, 0) / MiB)} MiB\n`,
    );
    expect(answers.map((answer) => answer.status)).toEqual([413, 413, 413, 413]);
    expect(chunked.map((answer) => answer.status)).toEqual([413, 413, 413, 413]);
    expect(memory.peakMiB).toBeLessThanOrEqual(400);
    expect(stored).toEqual([]);
    expect(photo).toEqual({ status: 200, label: 'tench' });
  }, 120_000);

  it('removes its spool folder at a clean stop', async () => {
    // Act
    child.kill('SIGTERM');
    await once(child, 'exit');

    // Assess
    expect(await readdir(os.tmpdir())).not.toContainEqual(expect.stringMatching(`^glimpse-uploads-${child.pid}-`));
  });
});
