import { z } from 'zod';
import { predictionSchema } from './prediction.js';
import { failureSchema, jobOutcomeSchema, timingsSchema } from './result-record.js';

/** Where the API's classifications live; a job is read back at `<path>/<job id>`. */
export const CLASSIFICATIONS_PATH = '/v1/classifications';

export function classificationUrl(jobId: string): string {
  return `${CLASSIFICATIONS_PATH}/${jobId}`;
}

/** A job as the API shows it: queued until its result record exists, then its outcome. */
export const classificationStatusSchema = z.enum(['queued', ...jobOutcomeSchema.options]);
export type ClassificationStatus = z.infer<typeof classificationStatusSchema>;

/** One job as `POST /v1/classifications` and `GET /v1/classifications/:id` answer it. */
export const classificationItemSchema = z.object({
  id: z.uuid().describe('Job id'),
  filename: z.string().meta({ description: 'The uploaded file name (sanitised)', example: 'tench.jpg' }),
  status: classificationStatusSchema,
  url: z.string().meta({ description: 'Where to read this job later', example: classificationUrl('0b7c…') }),
  result: predictionSchema.optional().describe('Present when status is done'),
  error: failureSchema.optional().describe('Present when status is failed'),
  model: z
    .string()
    .optional()
    .meta({ description: 'The model that classified the image', example: 'mobilenetv2-12-int8' }),
  modelVersion: z
    .string()
    .optional()
    .meta({ description: "That model's version (GET /v1/models)", example: 'cc028fe6cae7' }),
  timings: timingsSchema.optional().describe('Present on GET once finished'),
  batchId: z
    .uuid()
    .optional()
    .describe('In the answer of a request with several files: its batch (GET /v1/batches/{id})'),
});
export type ClassificationItem = z.infer<typeof classificationItemSchema>;

/** The answer of `POST /v1/classifications`: one item per uploaded file, in upload order. */
export const classificationBatchSchema = z.object({ items: z.array(classificationItemSchema) });
export type ClassificationBatch = z.infer<typeof classificationBatchSchema>;
