/** Tells the scaler that work arrived, so it need not wait for its next tick. */
export interface ScalerNudge {
  nudge(): void;
}

/**
 * The event a web tier sends the scaler Lambda when work arrives (an asynchronous invoke). The
 * Lambda runs one tick for it, where the schedule's event runs ticks until close to the timeout.
 */
export const NUDGE_EVENT = { source: 'glimpse.web', detail: 'work-arrived' } as const;

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
