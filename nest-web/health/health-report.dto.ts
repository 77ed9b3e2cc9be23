import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** The readiness answer of GET /health. */
export const healthReportSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z
    .record(z.string(), z.string())
    .describe('Per part (requestQueue, responseQueue, inputBucket, outputBucket): "ok", or why it does not answer'),
  waitingJobs: z.number().int().min(0).describe('Jobs some request of this process is waiting for'),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

export class HealthReportDto extends createZodDto(healthReportSchema) {}
