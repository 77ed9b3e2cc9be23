import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const dollars = (description: string) => z.number().min(0).describe(description);

/** Where the receipt's price comes from (core/config/cost-config.ts). */
export const priceBasisSchema = z.enum(['nominal', 'configured']);

/** The cost receipt, as `GET /v1/metrics` answers it (core/metrics/cost-receipt.ts). */
export const costReceiptSchema = z.object({
  since: z.iso.datetime().nullable().describe("Start of the receipt: the scaler's first tick; null before it"),
  workerSeconds: z.number().min(0).describe('Sum over workers of their time in the fleet (pending, running, draining)'),
  images: z.number().int().min(0).describe('Images classified (done or failed) since then'),
  dollars: dollars('workerSeconds × dollarsPerWorkerHour / 3600'),
  dollarsPer1000Images: dollars('dollars / images × 1000; null before the first image').nullable(),
  dollarsPerWorkerHour: dollars('The price used (env GLIMPSE_WORKER_HOUR_PRICE)'),
  basis: priceBasisSchema.describe(
    'nominal: the default rate (local workers bill no one); configured: GLIMPSE_WORKER_HOUR_PRICE',
  ),
});

const seriesPointSchema = z.tuple([z.number().describe('Epoch ms'), z.number().describe('Value')]);

/** The answer of `GET /v1/metrics` on the local stack. */
export const metricsAnswerSchema = z.object({
  metrics: z
    .record(z.string(), z.array(seriesPointSchema))
    .describe('Per metric name, its recent [epoch ms, value] points'),
  receipt: costReceiptSchema,
});

export class MetricsAnswerDto extends createZodDto(metricsAnswerSchema) {}
