import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const metricsQuerySchema = z.object({
  // A bad value reads as "from the start", as a dashboard polling with a stale cursor expects.
  since: z.coerce.number().default(0).catch(0).describe('Only points at or after this epoch ms'),
});

export class MetricsQueryDto extends createZodDto(metricsQuerySchema) {}
