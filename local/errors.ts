import { GlimpseError } from '#core/errors.js';

/** The base of every error the local stack throws on purpose. */
export class LocalStackError extends GlimpseError {}

/** The parts of the local stack, in the order they start. */
export type StackPart = 'emulator' | 'queues and buckets' | 'web tier';

/** A part of the local stack did not start; its cause says why. */
export class StackStartError extends LocalStackError {
  constructor(
    readonly part: StackPart,
    options: ErrorOptions,
  ) {
    super(`the ${part} did not start`, options);
  }
}
