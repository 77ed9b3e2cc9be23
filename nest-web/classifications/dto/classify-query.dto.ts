import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const classifyQuerySchema = z.strictObject({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .optional()
    .describe('Seconds to wait for results (0: answer 202 at once). Default 20; at most the configured maximum.'),
});

export class ClassifyQueryDto extends createZodDto(classifyQuerySchema) {}
