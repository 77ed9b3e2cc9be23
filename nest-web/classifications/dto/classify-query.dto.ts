import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** The model a request names, as a query parameter or a form field; which names are served is the catalog's to say. */
export const requestedModelSchema = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .describe('The model to classify with (GET /v1/models lists them); default: the default model');

const classifyQuerySchema = z.strictObject({
  model: requestedModelSchema,
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .optional()
    .describe('Seconds to wait for results (0: answer 202 at once). Default 20; at most the configured maximum.'),
});

export class ClassifyQueryDto extends createZodDto(classifyQuerySchema) {}
