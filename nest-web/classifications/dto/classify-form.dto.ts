import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { requestedDeadlineSchema, requestedModelSchema, requestedWebhookSchema } from './classify-query.dto.js';

/** The text fields a classify request may send beside its files. */
const classifyFormSchema = z.strictObject({
  model: requestedModelSchema,
  webhook: requestedWebhookSchema,
  deadline: requestedDeadlineSchema,
});

export class ClassifyFormDto extends createZodDto(classifyFormSchema) {}
