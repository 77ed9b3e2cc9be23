import { z } from 'zod';
import { parseEnv, type Env } from './env-schema.js';

/**
 * The rate the local stack's receipt uses when none is configured: its workers are processes of
 * this machine, which bills no one by the hour, so any figure is nominal (and labelled so).
 */
export const NOMINAL_WORKER_HOUR_PRICE = 0.1;

export const costEnvSchema = z.object({
  /**
   * Dollars per worker-hour for the cost receipt of `GET /v1/metrics` and `/dashboard`; default
   * {@link NOMINAL_WORKER_HOUR_PRICE}, labelled nominal. (On AWS the receipt is the CloudWatch
   * dashboard's cost widget, priced by the `workerHourPrice` parameter of serverless.yml.)
   */
  GLIMPSE_WORKER_HOUR_PRICE: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number().min(0).max(1000).optional(),
  ),
});

/** What a worker-hour costs, and whether that figure is the nominal default or configured. */
export interface WorkerPrice {
  readonly dollarsPerHour: number;
  /** `nominal`: the default rate, no one's bill; `configured`: set by `GLIMPSE_WORKER_HOUR_PRICE`. */
  readonly basis: 'nominal' | 'configured';
}

export function loadWorkerPrice(env: Env): WorkerPrice {
  const price = parseEnv('cost', costEnvSchema, env).GLIMPSE_WORKER_HOUR_PRICE;
  return price === undefined
    ? { dollarsPerHour: NOMINAL_WORKER_HOUR_PRICE, basis: 'nominal' }
    : { dollarsPerHour: price, basis: 'configured' };
}
