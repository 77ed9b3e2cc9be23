import { createZodDto } from 'nestjs-zod';
import { classificationBatchSchema, classificationItemSchema } from '#core/contracts/classification-item.js';

/** One job, as the API answers it; its schema is the contract in core/contracts. */
export class ClassificationItemDto extends createZodDto(classificationItemSchema) {}

/** The jobs of one upload request. */
export class ClassificationBatchDto extends createZodDto(classificationBatchSchema) {}
