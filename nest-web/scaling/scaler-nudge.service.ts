import type { ScalerNudge } from '#core/scaling/scaler-nudge.js';

/** Tells the scaler that work arrived; does nothing where no scaler listens. */
export class ScalerNudgeService {
  constructor(private readonly scaler?: ScalerNudge) {}

  nudge(): void {
    this.scaler?.nudge();
  }
}
