import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { MAX_DEADLINE_SECONDS } from '#core/contracts/deadline-check.js';

/** The model a request names, as a query parameter or a form field; which names are served is the catalog's to say. */
export const requestedModelSchema = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .describe('The model to classify with (GET /v1/models lists them); default: the default model');

/** Where each job's ending is POSTed, as a query parameter or a form field; its destination is checked by the service. */
export const requestedWebhookSchema = z
  .string()
  .min(1)
  .max(2048)
  .optional()
  .describe(
    'A URL to POST each job to when it ends (signed per Standard Webhooks): https; http only to loopback when ' +
      'allowed; private addresses refused unless allowed',
  );

/** Seconds until a job not yet started ends `expired`, as a query parameter or a form field. */
export const requestedDeadlineSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_DEADLINE_SECONDS)
  .optional()
  .describe(
    `Seconds (1 to ${MAX_DEADLINE_SECONDS}) after which a job no worker has started ends expired; default: none`,
  );

const classifyQuerySchema = z.strictObject({
  model: requestedModelSchema,
  webhook: requestedWebhookSchema,
  deadline: requestedDeadlineSchema,
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .optional()
    .describe('Seconds to wait for results (0: answer 202 at once). Default 20; at most the configured maximum.'),
});

export class ClassifyQueryDto extends createZodDto(classifyQuerySchema) {}
