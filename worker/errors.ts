import type { Failure } from '#core/contracts/result-record.js';
import { GlimpseError } from '#core/errors.js';

/** The base of every error the worker tier throws on purpose. */
export class WorkerError extends GlimpseError {}

/** Why an image gets a `failed` result rather than retries. */
export type ImageFailureCode = Extract<Failure['code'], 'undecodable_image' | 'image_too_large'>;

/** The image cannot be decoded, or is larger than allowed: a permanent failure of its job. */
export class ImageDecodeError extends WorkerError {
  constructor(
    message: string,
    readonly code: ImageFailureCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The model ran but did not produce the output its registry entry names. */
export class ModelOutputError extends WorkerError {}

/** `GLIMPSE_EXECUTION_PROVIDER=cuda` was asked for, and onnxruntime could not start on CUDA. */
export class ExecutionProviderError extends WorkerError {}

/** The EC2 instance metadata service answered with something that is not an instance id. */
export class InstanceIdentityError extends WorkerError {}

/** A receive that was held back near the idle deadline is cancelled because the worker stops. */
export class PollCancelledError extends WorkerError {}
