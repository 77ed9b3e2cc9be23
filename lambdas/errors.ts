import { GlimpseError } from '#core/errors.js';

/** The base of every error the scaler Lambda throws on purpose. */
export class ScalerError extends GlimpseError {}

/** EC2 refused a launch for lack of capacity on every configured option (market × instance type). */
export class NoCapacityError extends ScalerError {
  constructor(
    readonly count: number,
    /** One `<market> <instance type>: <EC2 error code>` per option tried, in order. */
    readonly refusals: readonly string[],
  ) {
    super(`no capacity for ${count} worker(s): ${refusals.join('; ')}`);
  }
}
