import type { Failure } from '../contracts/result-record.js';
import { GlimpseError } from '../errors.js';

/** Why an image gets a `failed` result rather than retries. */
export type ImageFailureCode = Extract<Failure['code'], 'undecodable_image' | 'image_too_large'>;

/** The image cannot be decoded, or is larger than allowed: a permanent failure of its job. */
export class ImageDecodeError extends GlimpseError {
  constructor(
    message: string,
    readonly code: ImageFailureCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The model ran but did not produce the output its contract (model.json `output.name`) names. */
export class ModelOutputError extends GlimpseError {}

/** `GLIMPSE_EXECUTION_PROVIDER=cuda` was asked for, and onnxruntime could not start on CUDA. */
export class ExecutionProviderError extends GlimpseError {}
