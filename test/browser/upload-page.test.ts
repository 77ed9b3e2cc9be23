import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Env } from '#core/config/env-schema.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { uploadPageRoot } from '#web/ui/upload-page-root.js';
import { startWorker } from '#worker/worker-runtime.js';
import { CHROMIUM, CHROMIUM_ARGS, recordProblems } from '../support/browser.js';
import { startTestInfrastructure } from '../support/infrastructure.js';
import { loadLabelledPhotos, readPhoto } from '../support/images.js';
import { digestOf } from '../support/web-edge.js';

interface DroppedPhoto {
  readonly filename: string;
  readonly bytes: Buffer;
  /** The reference top-1 label of mobilenetv2 (the default model) for this photo. */
  readonly expectedLabel: string;
}

function requireBuiltPageAndBrowser(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser test needs chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const script = path.join(uploadPageRoot(), 'upload-page.js');
  if (!existsSync(script)) throw new Error(`the upload page is not built (no ${script}): run npm run build`);
}

/** Three photos whose reference top-1 is their own class, so the expected label is the class's name. */
async function threePhotos(): Promise<DroppedPhoto[]> {
  const agreeing = (await loadLabelledPhotos()).filter((photo) => photo.mobilenetTop1 === photo.classIndex);
  return Promise.all(
    agreeing.slice(0, 3).map(async ({ filename, label }) => ({
      filename,
      bytes: await readPhoto(filename),
      expectedLabel: label,
    })),
  );
}

/** Drops files on the drop zone the way a browser does: dragover, then drop with a DataTransfer. */
async function dropPhotos(page: Page, photos: readonly DroppedPhoto[]): Promise<void> {
  const files = photos.map(({ filename, bytes }) => ({ filename, base64: bytes.toString('base64') }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new (globalThis as any).DataTransfer();
    for (const { filename, base64 } of list) {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], filename, { type: 'image/jpeg' }));
    }
    return transfer;
  }, files);
  await page.dispatchEvent('#drop', 'dragover', { dataTransfer });
  await page.dispatchEvent('#drop', 'drop', { dataTransfer });
}

/** The default model and ShuffleNet beside it. */
const SERVED_MODELS = 'mobilenetv2-12-int8,shufflenet-v2-12-qdq';

/** A photo ShuffleNet names as its own class, so the expected label is the class's name. */
async function shufflenetPhoto(): Promise<DroppedPhoto> {
  const [agreeing] = (await loadLabelledPhotos()).filter((photo) => photo.shufflenetTop1 === photo.classIndex);
  return { filename: agreeing!.filename, bytes: await readPhoto(agreeing!.filename), expectedLabel: agreeing!.label };
}

interface PageServer {
  readonly url: string;
  readonly browser: Browser;
  stop(): Promise<void>;
}

/** The web tier and a real worker (both configured by `env`), the emulator, and a browser to look at the page with. */
async function startPageServer(env: Env = {}): Promise<PageServer> {
  requireBuiltPageAndBrowser();
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const part of stops.reverse()) await part();
  };
  try {
    const infra = await startTestInfrastructure();
    stops.push(() => infra.stop());
    const worker = await startWorker(
      loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1', ...env }),
      silentLogger(),
    );
    stops.push(() => worker.shutdown());
    const config = loadWebConfig({ ...infra.env, PORT: '0', ...env });
    const app = await createWebApp(config, infra.clients, { logger: silentLogger() });
    stops.push(() => app.close());
    await app.listen(0, '127.0.0.1');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    stops.push(() => browser.close());
    return { url: await app.getUrl(), browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The label of a photo's card once it is classified: `<label> — <confidence>%`. */
async function labelOf(page: Page, photo: DroppedPhoto): Promise<string | null> {
  const label = page.locator('.card', { hasText: photo.filename }).locator('.label');
  await label.filter({ hasText: '%' }).waitFor({ timeout: 30_000 });
  return label.textContent();
}

describe('the upload page in a browser, with the web tier, a real worker and the emulator', () => {
  let url: string;
  let browser: Browser;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ url, browser, stop } = await startPageServer());
  });
  afterAll(async () => stop?.());

  it('shows the labels of three dropped photos, with no console error and no failed request', async () => {
    // Prepare
    const photos = await threePhotos();
    const page = await browser.newPage();
    const problems = recordProblems(page);
    await page.goto(url);

    // Act
    await dropPhotos(page, photos);

    // Assess
    for (const photo of photos) {
      expect(await labelOf(page, photo)).toMatch(new RegExp(`^${photo.expectedLabel} — \\d+\\.\\d%$`));
    }
    expect(await page.locator('#key-form').isHidden()).toBe(true);
    expect(await page.locator('.card .bar').count()).toBe(3 * 5);
    expect(await page.locator('#status').textContent()).toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows Swagger UI under its Content-Security-Policy, with no violation', async () => {
    // Prepare
    const page = await browser.newPage();
    const problems = recordProblems(page);

    // Act
    await page.goto(`${url}/docs`);
    await page.locator('.swagger-ui .info .title', { hasText: 'Glimpse' }).waitFor({ timeout: 10_000 });

    // Assess
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(4);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves the page, its script, style and favicon as files, and leaves every other path to Nest', async () => {
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    for (const [asset, type] of [
      ['/upload-page.js', /^text\/javascript/],
      ['/styles.css', /^text\/css/],
      ['/favicon.svg', /^image\/svg\+xml/],
    ] as const) {
      expect(html).toContain(`"${asset}"`);
      const response = await fetch(`${url}${asset}`);
      expect([asset, response.status, response.headers.get('content-type')]).toEqual([
        asset,
        200,
        expect.stringMatching(type),
      ]);
    }
    for (const [route, status] of [
      ['/health', 200],
      ['/v1/unknown', 404],
      ['/no-such-file.js', 404],
    ] as const) {
      const response = await fetch(`${url}${route}`);
      expect([route, response.status, response.headers.get('content-type')]).toEqual([
        route,
        status,
        expect.stringMatching(/^application\/json/),
      ]);
    }
  });
});

describe('the upload page on a server that asks for an API key and serves two models', () => {
  const key = 'browser-test-key-7f3a9c';
  let url: string;
  let browser: Browser;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ url, browser, stop } = await startPageServer({
      GLIMPSE_API_KEYS: digestOf(key),
      GLIMPSE_MODELS: SERVED_MODELS,
    }));
  });
  afterAll(async () => stop?.());

  it('asks for the key before any upload, lists the models with it, and the chosen model answers', async () => {
    // Prepare
    const photo = await shufflenetPhoto();
    const page = await browser.newPage();
    const problems = recordProblems(page);
    const sentKeys: Record<'models' | 'classifications', Array<string | undefined>> = {
      models: [],
      classifications: [],
    };
    page.on('request', (request) => {
      const route = /\/v1\/(models|classifications)/.exec(request.url())?.[1] as keyof typeof sentKeys | undefined;
      if (route) sentKeys[route].push(request.headers()['x-api-key']);
    });
    await page.goto(url);

    // Act: asked at once, give a wrong key, get asked again, give the right one; then choose and drop
    await page.locator('#key-form').waitFor({ state: 'visible' });
    const firstAsk = await page.locator('#status').textContent();
    const fileFieldWhileAsked = await page.locator('#files').isDisabled();
    await page.fill('#api-key', 'not-the-key');
    await page.click('#key-form button');
    await page.locator('#status', { hasText: 'refused' }).waitFor();
    await page.fill('#api-key', key);
    await page.click('#key-form button');
    await page.locator('#model option[value="shufflenet-v2-12-qdq"]').waitFor({ state: 'attached' });
    await page.selectOption('#model', 'shufflenet-v2-12-qdq');
    await dropPhotos(page, [photo]);

    // Assess
    expect(firstAsk).toBe('This server asks for an API key.');
    expect(fileFieldWhileAsked).toBe(true);
    expect(await labelOf(page, photo)).toMatch(new RegExp(`^${photo.expectedLabel} — `));
    expect(await page.locator('.card .model').textContent()).toBe('shufflenet-v2-12-qdq');
    expect(await page.locator('#key-form').isHidden()).toBe(true);
    expect(await page.locator('#files').isEnabled()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('glimpse.apiKey'))).toBe(key);
    expect(sentKeys.models).toEqual([undefined, 'not-the-key', key]);
    expect(sentKeys.classifications[0]).toBe(key);
    // The model list read before a key and with the wrong one are the only failures the page met
    // (Chromium logs each as a console error too).
    const unexpected = problems.filter((problem) => !/^401: |status of 401/.test(problem));
    expect(unexpected).toEqual([]);
    expect(problems.filter((problem) => /^401: .*\/v1\/models/.test(problem))).toHaveLength(2);
    await page.close();
  });
});

describe('the upload page on a server with several models', () => {
  let url: string;
  let browser: Browser;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ url, browser, stop } = await startPageServer({ GLIMPSE_MODELS: SERVED_MODELS }));
  });
  afterAll(async () => stop?.());

  it('lists the served models, the default chosen, and classifies with the one the user picks', async () => {
    // Prepare
    const photo = await shufflenetPhoto();
    const page = await browser.newPage();
    const problems = recordProblems(page);
    await page.goto(url);
    await page.locator('#model option[value="shufflenet-v2-12-qdq"]').waitFor({ state: 'attached' });
    const chosenFirst = await page.locator('#model').inputValue();

    // Act
    await page.selectOption('#model', 'shufflenet-v2-12-qdq');
    await dropPhotos(page, [photo]);

    // Assess
    expect(chosenFirst).toBe('mobilenetv2-12-int8');
    expect(await labelOf(page, photo)).toMatch(new RegExp(`^${photo.expectedLabel} — `));
    expect(await page.locator('.card .model').textContent()).toBe('shufflenet-v2-12-qdq');
    expect(problems).toEqual([]);
    await page.close();
  });
});
