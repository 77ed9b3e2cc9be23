import { z } from 'zod';
import { modelInputSchema, modelOutputSchema } from '../models/model-contract.js';

/** Where the API lists its models. */
export const MODELS_PATH = '/v1/models';

/** Where a served model comes from. */
export const modelSourceSchema = z.enum(['built-in', 'folder']);

/** One served model as `GET /v1/models` shows it. */
export const modelListingSchema = z.object({
  name: z.string().meta({ description: 'The name a request gives as `model`', example: 'mobilenetv2-12-int8' }),
  default: z.boolean().describe('Whether requests that name no model (and `POST /`) get this one'),
  available: z.boolean().describe('Whether it can classify; when false, `reason` says why'),
  reason: z.string().optional().meta({
    description: 'Why it is unavailable: the file and the model.json field at fault',
    example: 'pets/model.json: input.name: "data" is not an input of model.onnx (its inputs: input)',
  }),
  source: modelSourceSchema.describe('Shipped with Glimpse, or a model folder of this deployment'),
  version: z.string().optional().meta({ description: 'Its version; results name it as `modelVersion`', example: '3' }),
  description: z.string().optional(),
  input: modelInputSchema.optional().describe('How an image becomes its input tensor (model.json `input`)'),
  output: modelOutputSchema.optional().describe('Its output tensor (model.json `output`)'),
  classes: z.int().min(1).optional().describe('Classes it scores (lines of its labels file)'),
  maxBatch: z.int().min(1).optional().describe('Most images per onnxruntime call; 1: a fixed batch of one'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe('sha256 of its ONNX file'),
});
export type ModelListing = z.infer<typeof modelListingSchema>;

/** The answer of `GET /v1/models`: every served model, the default first. */
export const modelListSchema = z.object({
  default: z.string().describe('The default model'),
  models: z.array(modelListingSchema),
});
export type ModelList = z.infer<typeof modelListSchema>;
