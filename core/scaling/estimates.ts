import type { Heartbeat } from '../fleet/heartbeat.js';

/** What the scaler remembers between ticks to estimate the arrival rate. */
export interface ArrivalEstimate {
  readonly at: number;
  readonly backlog: number;
  /** Images finished by all workers so far. */
  readonly completed: number;
  /** Smoothed arrivals per second; undefined until two observations exist. */
  readonly arrivalsPerSecond?: number;
}

/** Weight of the newest interval in the smoothed rate. */
const SMOOTHING = 0.5;

/**
 * Arrivals between two observations are what the backlog grew by plus what was finished meanwhile.
 * Pure: the next estimate from the previous one and a new observation.
 */
export function estimateArrivals(
  previous: ArrivalEstimate | undefined,
  observation: { at: number; backlog: number; completed: number },
): ArrivalEstimate {
  if (!previous || observation.at <= previous.at)
    return { ...observation, arrivalsPerSecond: previous?.arrivalsPerSecond };
  const seconds = (observation.at - previous.at) / 1000;
  const arrived = Math.max(
    0,
    observation.backlog - previous.backlog + Math.max(0, observation.completed - previous.completed),
  );
  const rate = arrived / seconds;
  const smoothed =
    previous.arrivalsPerSecond === undefined ? rate : SMOOTHING * rate + (1 - SMOOTHING) * previous.arrivalsPerSecond;
  return { ...observation, arrivalsPerSecond: smoothed };
}

/** Images per second one busy worker completes, from the workers' cumulative counters. */
export function measuredWorkerThroughput(heartbeats: readonly Heartbeat[], minBusyMs = 2_000): number | undefined {
  const measured = heartbeats.filter((heartbeat) => heartbeat.busyMs >= minBusyMs && heartbeat.imagesClassified > 0);
  const busySeconds = measured.reduce((sum, heartbeat) => sum + heartbeat.busyMs / 1000, 0);
  const images = measured.reduce((sum, heartbeat) => sum + heartbeat.imagesClassified, 0);
  return busySeconds > 0 ? images / busySeconds : undefined;
}
