import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { classificationItemSchema } from '#core/contracts/classification-item.js';

/** `GET /v1/batches/:id`: the jobs of one multi-file request, in upload order. */
export const batchViewSchema = z.object({
  id: z.uuid().describe('Batch id (the `batchId` of the POST answer)'),
  items: z
    .array(classificationItemSchema)
    .describe('One item per uploaded file, in upload order, with timings once ended'),
});
export type BatchView = z.infer<typeof batchViewSchema>;

export class BatchViewDto extends createZodDto(batchViewSchema) {}

/** The data of the `end` event that closes a batch's event stream. */
export const batchEndEventSchema = z.object({
  id: z.uuid().describe('Batch id'),
  items: z.number().int().min(0).describe('Items this stream sent'),
});
