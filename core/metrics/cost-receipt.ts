import type { WorkerPrice } from '../config/cost-config.js';
import { SCALER_METRICS, WORKER_METRICS } from './metric-names.js';
import type { MetricSeries } from './metric-series.js';

/** What the workers cost so far, per image: the local stack's answer to "what would this bill be". */
export interface CostReceipt {
  /** ISO time the receipt starts: the scaler's first tick (the stack's start). */
  readonly since: string | null;
  /** Sum over workers of their time in the fleet (pending, running or draining), seconds. */
  readonly workerSeconds: number;
  /** Images the workers classified (done or failed) in that time. */
  readonly images: number;
  /** workerSeconds × the hourly price / 3600. */
  readonly dollars: number;
  /** dollars / images × 1000; `null` before the first image. */
  readonly dollarsPer1000Images: number | null;
  readonly dollarsPerWorkerHour: number;
  /** `nominal`: the default rate, no one's bill; `configured`: `GLIMPSE_WORKER_HOUR_PRICE`. */
  readonly basis: WorkerPrice['basis'];
}

/**
 * The receipt from what the scaler saw: worker-seconds are the area under its count of the workers
 * in the fleet (each tick's count holding until the next), images the workers' own count. The
 * CloudWatch dashboard's cost widget computes the same from the same two metrics.
 */
export function costReceipt(series: MetricSeries, price: WorkerPrice): CostReceipt {
  const fleet = series.total(SCALER_METRICS.workersInFleet);
  const images = series.total(WORKER_METRICS.imagesClassified)?.sum ?? 0;
  const workerSeconds = fleet?.valueSeconds ?? 0;
  const dollars = (workerSeconds * price.dollarsPerHour) / 3600;
  return {
    since: fleet ? new Date(fleet.since).toISOString() : null,
    workerSeconds,
    images,
    dollars,
    dollarsPer1000Images: images > 0 ? (dollars / images) * 1000 : null,
    dollarsPerWorkerHour: price.dollarsPerHour,
    basis: price.basis,
  };
}
