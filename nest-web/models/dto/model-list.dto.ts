import { createZodDto } from 'nestjs-zod';
import { modelListSchema } from '#core/contracts/model-listing.js';

/** The served models, as `GET /v1/models` answers; its schema is the contract in core/contracts. */
export class ModelListDto extends createZodDto(modelListSchema) {}
