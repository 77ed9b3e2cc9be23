import { GlimpseError } from '#core/errors.js';

/** The base of every error the worker tier throws on purpose. */
export class WorkerError extends GlimpseError {}

/** The EC2 instance metadata service answered with something that is not an instance id. */
export class InstanceIdentityError extends WorkerError {}

/** A receive that was held back near the idle deadline is cancelled because the worker stops. */
export class PollCancelledError extends WorkerError {}
