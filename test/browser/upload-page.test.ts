import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { uploadPageRoot } from '#web/ui/upload-page-root.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { loadLabelledPhotos, readPhoto } from '../support/images.js';

/** Debian's chromium, driven by playwright-core (CI installs it with .ci/install-deploy-tools). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

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

/** Console errors, uncaught exceptions, failed requests and HTTP errors the page meets. */
function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  return problems;
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

describe('the upload page in a browser, with the web tier, a real worker and the emulator', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let app: NestExpressApplication;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    requireBuiltPageAndBrowser();
    infra = await startTestInfrastructure();
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), silentLogger());
    app = await createWebApp(loadWebConfig({ ...infra.env, PORT: '0' }), infra.clients, { logger: silentLogger() });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await worker?.shutdown();
    await infra?.stop();
  });

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
      const label = page.locator('.card', { hasText: photo.filename }).locator('.label');
      await label.filter({ hasText: '%' }).waitFor({ timeout: 30_000 });
      expect(await label.textContent()).toMatch(new RegExp(`^${photo.expectedLabel} — \\d+\\.\\d%$`));
    }
    expect(await page.locator('.card .bar').count()).toBe(3 * 5);
    expect(await page.locator('#status').textContent()).toBe('');
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
