import { hasKey, keyHeaders, KeyPrompt, KeyRequiredError } from './api-key.js';
import { Chart } from './dashboard-chart.js';
import {
  gridEndingAt,
  lastValue,
  latest,
  percentile,
  perSlot,
  slotTimes,
  sum,
  valuesSince,
  type Points,
} from './dashboard-figures.js';

/** The dashboard's script: polls GET /v1/metrics every second and shows the figures, charts and receipt. */

interface CostReceipt {
  readonly workerSeconds: number;
  readonly images: number;
  readonly dollars: number;
  readonly dollarsPer1000Images: number | null;
  readonly dollarsPerWorkerHour: number;
  readonly basis: 'nominal' | 'configured';
}

interface MetricsAnswer {
  readonly metrics: Readonly<Record<string, Points | undefined>>;
  readonly receipt: CostReceipt;
}

/** The server keeps its metrics in CloudWatch (on AWS): nothing to poll here. */
class MetricsElsewhereError extends Error {
  override readonly name = 'MetricsElsewhereError';
}

const POLL_MS = 1_000;
const WINDOW_MS = 5 * 60_000;
const SLOT_MS = 2_000;
const SECOND = 1_000;

const status = required('status', HTMLParagraphElement);
const keyPrompt = new KeyPrompt(required('key-form', HTMLFormElement), required('api-key', HTMLInputElement));
const charts = {
  queue: new Chart(required('chart-queue', HTMLDivElement), [
    { label: 'backlog', stroke: '#2f6fed' },
    { label: 'in flight', stroke: '#e08a00' },
  ]),
  workers: new Chart(required('chart-workers', HTMLDivElement), [
    { label: 'pending', stroke: '#8a94a8' },
    { label: 'running', stroke: '#1f9d55' },
    { label: 'draining', stroke: '#c0392b' },
  ]),
  throughput: new Chart(required('chart-throughput', HTMLDivElement), [{ label: 'images/s', stroke: '#2f6fed' }]),
  latency: new Chart(required('chart-latency', HTMLDivElement), [
    { label: 'p50', stroke: '#1f9d55' },
    { label: 'p95', stroke: '#c0392b' },
  ]),
};

void poll();

/** Reads the metrics, shows them, and comes back a second later; asks for an API key when the server wants one. */
async function poll(): Promise<void> {
  try {
    show(await readMetrics(Date.now() - WINDOW_MS));
    status.textContent = '';
  } catch (error) {
    if (error instanceof MetricsElsewhereError) {
      status.textContent = 'This deployment keeps its metrics in CloudWatch: see its CloudWatch dashboard.';
      return;
    }
    if (error instanceof KeyRequiredError) {
      status.textContent = hasKey() ? 'The API key was refused: enter another.' : 'This server asks for an API key.';
      await keyPrompt.ask();
    } else status.textContent = `No metrics: ${error instanceof Error ? error.message : 'no answer'}`;
  }
  setTimeout(() => void poll(), POLL_MS);
}

async function readMetrics(since: number): Promise<MetricsAnswer> {
  const response = await fetch(`/v1/metrics?since=${Math.floor(since)}`, { headers: keyHeaders() });
  if (response.status === 401) throw new KeyRequiredError();
  if (response.status === 404) throw new MetricsElsewhereError();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as MetricsAnswer;
}

function show({ metrics, receipt }: MetricsAnswer): void {
  const now = Date.now();
  const count = (name: string) => format(latest(metrics[name]) ?? 0, 0);
  text('backlog', count('Backlog'));
  text('in-flight', count('InFlight'));
  text('workers', `${count('WorkersPending')} / ${count('WorkersRunning')} / ${count('WorkersDraining')}`);
  text('images-per-second', format(sum(valuesSince(metrics.ImagesClassified, now - 10 * SECOND)) / 10, 1));
  const latencies = valuesSince(metrics.EndToEndMs, now - 60 * SECOND);
  text('latency', `${milliseconds(percentile(latencies, 50))} / ${milliseconds(percentile(latencies, 95))}`);
  text('failures', format(sum(valuesSince(metrics.ImagesFailed, now - WINDOW_MS)), 0));
  showReceipt(receipt);
  drawCharts(metrics, now);
}

function showReceipt(receipt: CostReceipt): void {
  text('worker-seconds', format(receipt.workerSeconds, 1));
  text('receipt-images', format(receipt.images, 0));
  text('dollars-per-1000', receipt.dollarsPer1000Images === null ? '–' : `$${receipt.dollarsPer1000Images.toFixed(4)}`);
  text('dollars', `$${receipt.dollars.toFixed(4)}`);
  const rate = `$${receipt.dollarsPerWorkerHour} per worker-hour`;
  text(
    'receipt-rate',
    receipt.basis === 'nominal'
      ? `At a nominal rate of ${rate}: local workers bill no one (set GLIMPSE_WORKER_HOUR_PRICE).`
      : `At the configured rate of ${rate}, since the stack started.`,
  );
}

function drawCharts(metrics: MetricsAnswer['metrics'], now: number): void {
  const grid = gridEndingAt(now, WINDOW_MS, SLOT_MS);
  const x = slotTimes(grid);
  const gauge = (name: string) => perSlot(metrics[name], grid, lastValue);
  charts.queue.update(x, [gauge('Backlog'), gauge('InFlight')]);
  charts.workers.update(x, [gauge('WorkersPending'), gauge('WorkersRunning'), gauge('WorkersDraining')]);
  const perSecond = (values: number[]) => sum(values) / (SLOT_MS / SECOND);
  charts.throughput.update(x, [perSlot(metrics.ImagesClassified, grid, perSecond, 0)]);
  charts.latency.update(x, [
    perSlot(metrics.EndToEndMs, grid, (values) => percentile(values, 50)),
    perSlot(metrics.EndToEndMs, grid, (values) => percentile(values, 95)),
  ]);
}

function format(value: number, digits: number): string {
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function milliseconds(value: number | null): string {
  return value === null ? '–' : `${format(value, 0)} ms`;
}

function text(id: string, value: string): void {
  const node = document.getElementById(id);
  if (node) node.textContent = value;
}

function required<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new TypeError(`the page lacks #${id}`);
  return node;
}
