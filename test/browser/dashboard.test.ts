import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadWebConfig } from '#core/config/web-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { SCALER_METRICS, WORKER_METRICS } from '#core/metrics/metric-names.js';
import { MetricSeries } from '#core/metrics/metric-series.js';
import { createWebApp } from '#web/app.factory.js';
import { uploadPageRoot } from '#web/ui/upload-page-root.js';
import { CHROMIUM, CHROMIUM_ARGS, recordProblems } from '../support/browser.js';
import { readPhoto } from '../support/images.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { startStackProcess, type StackProcess } from '../support/stack-process.js';
import { digestOf } from '../support/web-edge.js';

const BURST = 20;

function requireBuiltStackAndBrowser(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser test needs chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const script = path.join(uploadPageRoot(), 'dashboard.js');
  if (!existsSync(script)) throw new Error(`the dashboard is not built (no ${script}): run npm run build`);
}

/** `BURST` single-image requests at once, answered at once (`wait=0`): the jobs wait in the queue. */
async function sendBurst(url: string): Promise<number[]> {
  const photo = await readPhoto('n01440764_tench.JPEG');
  return Promise.all(
    Array.from({ length: BURST }, async (_, index) => {
      const body = new FormData();
      body.append('images', new Blob([photo], { type: 'image/jpeg' }), `tench-${index}.jpg`);
      return (await fetch(`${url}/v1/classifications?wait=0`, { method: 'POST', body })).status;
    }),
  );
}

/** The dashboard's `pending / running / draining` figure, as numbers. */
async function workers(page: Page): Promise<number[]> {
  return ((await page.locator('#workers').textContent()) ?? '').split(' / ').map(Number);
}

describe('the live dashboard in a browser, on the local stack (scaler, local fleet, emulator)', () => {
  let dataDir: string;
  let stack: StackProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    requireBuiltStackAndBrowser();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-dashboard-'));
    stack = await startStackProcess({ GLIMPSE_DATA_DIR: dataDir, GLIMPSE_MAX_WORKERS: '1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the workers rise above zero and the receipt a figure after a burst, with no console error', async () => {
    // Prepare
    const page = await browser!.newPage();
    const problems = recordProblems(page);
    await page.goto(`${stack!.url}/dashboard`);
    await page.locator('#backlog').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 10_000 });
    expect(await workers(page)).toEqual([0, 0, 0]);

    // Act
    const statuses = await sendBurst(stack!.url);

    // Assess
    expect(statuses).toEqual(Array.from({ length: BURST }, () => 202));
    // Pending or running (the first two figures) no longer both zero.
    await page
      .locator('#workers')
      .filter({ hasText: /^(?!0 \/ 0 \/)\d+ \/ \d+ \/ \d+$/ })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('#dollars-per-1000')
      .filter({ hasText: /^\$\d+\.\d{4}$/ })
      .waitFor({ timeout: 90_000 });
    expect(Number((await page.locator('#worker-seconds').textContent())?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(Number(await page.locator('#receipt-images').textContent())).toBeGreaterThan(0);
    expect(await page.locator('#receipt-rate').textContent()).toMatch(/nominal rate of \$0\.1 per worker-hour/);
    expect(await page.locator('.uplot canvas').count()).toBe(4);
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);

  it('serves the page, its script and uPlot as files under the strict Content-Security-Policy', async () => {
    const url = stack!.url;
    const page = await fetch(`${url}/dashboard`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<script type="module">|style=/);
    const assets = [
      ['/dashboard.js', /^text\/javascript/],
      ['/dashboard.css', /^text\/css/],
      ['/vendor/uplot/uPlot.iife.min.js', /^text\/javascript/],
      ['/vendor/uplot/uPlot.min.css', /^text\/css/],
    ] as const;
    const served = await Promise.all(
      assets.map(async ([asset]) => {
        const response = await fetch(`${url}${asset}`);
        return {
          asset,
          linked: html.includes(`"${asset}"`),
          status: response.status,
          type: response.headers.get('content-type'),
        };
      }),
    );
    expect(served).toEqual(
      assets.map(([asset, type]) => ({ asset, linked: true, status: 200, type: expect.stringMatching(type) })),
    );
    const missing = await fetch(`${url}/vendor/uplot/no-such-file.js`);
    expect([missing.status, missing.headers.get('content-type')]).toEqual([
      404,
      expect.stringMatching(/^application\/json/),
    ]);
  });
});

describe('the dashboard on a server that asks for an API key', () => {
  const key = 'dashboard-test-key-51c0de';
  let infra: TestInfrastructure;
  let app: NestExpressApplication;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    requireBuiltStackAndBrowser();
    infra = await startTestInfrastructure();
    // A minute of one worker that classified 600 images, as the scaler and the workers record it.
    const metrics = new MetricSeries();
    const start = Date.now() - 60_000;
    metrics.record([
      { name: SCALER_METRICS.workersInFleet, value: 1, unit: 'Count', at: start },
      { name: WORKER_METRICS.imagesClassified, value: 600, unit: 'Count', at: start + 30_000 },
    ]);
    const config = loadWebConfig({
      ...infra.env,
      PORT: '0',
      GLIMPSE_API_KEYS: digestOf(key),
      GLIMPSE_WORKER_HOUR_PRICE: '3.6',
    });
    app = await createWebApp(config, infra.clients, { logger: silentLogger(), metrics });
    url = await app.listen(0, '127.0.0.1').then(() => app.getUrl());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await infra?.stop();
  });

  it('asks for the key, then polls with it and shows the receipt at the configured rate', async () => {
    // Prepare
    const page = await browser.newPage();
    const problems = recordProblems(page);
    await page.goto(`${url}/dashboard`);
    await page.locator('#key-form').waitFor({ state: 'visible' });
    const asked = await page.locator('#status').textContent();

    // Act
    await page.fill('#api-key', key);
    await page.click('#key-form button');

    // Assess: about 60 worker-seconds at $0.001 a second for 600 images.
    await page.locator('#receipt-images', { hasText: '600' }).waitFor({ timeout: 10_000 });
    expect(asked).toBe('This server asks for an API key.');
    expect(await page.locator('#dollars-per-1000').textContent()).toMatch(/^\$0\.10\d\d$/);
    expect(await page.locator('#receipt-rate').textContent()).toMatch(/configured rate of \$3\.6 per worker-hour/);
    expect(await page.locator('#key-form').isHidden()).toBe(true);
    // The poll before the key is the only failure the page met (Chromium logs it as a console error too).
    expect(problems.filter((problem) => !/^401: |status of 401/.test(problem))).toEqual([]);
    expect(problems.filter((problem) => /^401: .*\/v1\/metrics/.test(problem))).toHaveLength(1);
    await page.close();
  });
});
