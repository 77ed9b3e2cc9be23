/** Tells the scaler that work arrived, so it need not wait for its next tick. */
export interface ScalerNudge {
  nudge(): void;
}

/** Minimum spacing of nudges from one web process (an asynchronous Lambda invoke costs next to nothing). */
export const NUDGE_INTERVAL_MS = 250;

/** Passes at most one nudge per `intervalMs` to `target`; the rest would add nothing. */
export function throttledNudge(target: () => void, intervalMs: number, now: () => number = Date.now): ScalerNudge {
  let last = -Infinity;
  return {
    nudge() {
      const at = now();
      if (at - last < intervalMs) return;
      last = at;
      target();
    },
  };
}
