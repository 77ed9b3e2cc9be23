import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { requestedModelSchema } from './classify-query.dto.js';

/** The text fields a classify request may send beside its files. */
const classifyFormSchema = z.strictObject({
  model: requestedModelSchema,
});

export class ClassifyFormDto extends createZodDto(classifyFormSchema) {}
