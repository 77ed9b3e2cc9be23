import { z } from 'zod';

/**
 * A model's name: a folder name, a job field and a URL-safe word at once (no path separators, no
 * dots at the start), so that a name from a job can never point outside the model folder.
 */
export const modelNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'lower-case letters, digits, ".", "_" or "-", at most 64, not starting with . _ -',
  )
  .refine((name) => !name.includes('..'), 'no ".."');

/** A file named by model.json: inside the model's folder, relative, no `..`. */
const folderFileSchema = z
  .string()
  .min(1)
  .max(255)
  .refine(
    (file) => !file.startsWith('/') && !file.includes('\\') && file.split('/').every((part) => part !== '..'),
    'a path inside the model folder (relative, no "..")',
  );

const triple = (description: string) => z.tuple([z.number(), z.number(), z.number()]).describe(description);

export const inputLayoutSchema = z.enum(['NCHW', 'NHWC']);
export const channelOrderSchema = z.enum(['RGB', 'BGR']);
export const pixelScaleSchema = z.enum(['0-1', '0-255']);
export const outputKindSchema = z.enum(['logits', 'probabilities']);
export const labelFormatSchema = z.enum(['plain', 'synset']);

/** What the model's input tensor expects and how an image becomes it. */
export const modelInputSchema = z
  .strictObject({
    name: z.string().min(1).describe('Name of the input tensor in the ONNX graph'),
    layout: inputLayoutSchema.default('NCHW').describe('Tensor layout: NCHW (planes) or NHWC (interleaved)'),
    size: z.int().min(8).max(4096).describe('Side of the square input, pixels'),
    resize: z
      .int()
      .min(8)
      .max(16_384)
      .optional()
      .describe('Shorter side after the aspect-preserving resize, before the centre crop to `size` (default: `size`)'),
    channels: channelOrderSchema.default('RGB').describe('Channel order of the input tensor'),
    scale: pixelScaleSchema
      .default('0-1')
      .describe('Pixel range before mean and std: `0-1` (pixel/255) or `0-255` (pixel as is)'),
    mean: triple('Per-channel mean subtracted, in the order of `channels`').default([0, 0, 0]),
    std: triple('Per-channel divisor, in the order of `channels`')
      .refine((std) => std.every((value) => value > 0), 'every std must be above 0')
      .default([1, 1, 1]),
  })
  .refine((input) => (input.resize ?? input.size) >= input.size, {
    path: ['resize'],
    message: 'must be at least `size` (the crop is cut from the resized image)',
  });

/** The model's output tensor: one row of scores per image, one score per label. */
export const modelOutputSchema = z.strictObject({
  name: z.string().min(1).describe('Name of the output tensor in the ONNX graph'),
  kind: outputKindSchema.describe('`logits` (softmax is applied) or `probabilities`'),
});

/**
 * model.json: the contract of one model folder. Unknown fields are refused, so a misspelt field
 * is named rather than silently replaced by its default.
 */
export const modelContractSchema = z.strictObject({
  name: modelNameSchema.describe('The model name; equal to its folder name'),
  version: z
    .union([z.string().min(1).max(64), z.number()])
    .transform(String)
    .describe('The version results name (`modelVersion`)'),
  description: z.string().max(500).optional(),
  file: folderFileSchema.describe('The ONNX file, relative to the folder'),
  labels: folderFileSchema.describe('The labels file: line i (from 0) names class i'),
  labelFormat: labelFormatSchema
    .default('plain')
    .describe('`plain`: each line is the label; `synset`: `<wnid> <name>, <other names>` (ImageNet)'),
  input: modelInputSchema,
  output: modelOutputSchema,
  maxBatch: z.int().min(1).max(1024).describe('Most images per call; 1 marks a graph with a fixed batch of 1'),
});

export type ModelContract = z.output<typeof modelContractSchema>;
export type ModelContractInput = z.input<typeof modelContractSchema>;
export type ModelInput = ModelContract['input'];

/** What decoding and normalising an image for a model needs from its contract. */
export interface PreprocessSpec {
  /** Side of the square the image is cropped to. */
  readonly inputSize: number;
  /** Shorter side after the aspect-preserving resize, before the centre crop. */
  readonly resizeShorterSide: number;
  readonly layout: 'NCHW' | 'NHWC';
  readonly channels: 'RGB' | 'BGR';
  readonly scale: '0-1' | '0-255';
  /** Per-channel mean and std, in the tensor's channel order. */
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** The preprocessing a contract asks for, with its defaults applied. */
export function preprocessSpecOf(input: ModelInput): PreprocessSpec {
  return {
    inputSize: input.size,
    resizeShorterSide: input.resize ?? input.size,
    layout: input.layout,
    channels: input.channels,
    scale: input.scale,
    mean: input.mean,
    std: input.std,
  };
}
