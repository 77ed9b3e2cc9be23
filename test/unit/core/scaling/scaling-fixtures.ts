import type { ScalingPolicyConfig } from '#core/config/scaler-config.js';
import type { QueueDepth } from '#core/scaling/scaling-types.js';

/** The clock of the scaling tests: 10^9 ms since the epoch, tick window 200 000 at 5 s ticks. */
export const NOW = 1_000_000_000;

/** The AWS defaults, but 10 images/s per worker so that the arithmetic stays round. */
export const policy: ScalingPolicyConfig = {
  minWorkers: 0,
  maxWorkers: 19,
  targetDrainSeconds: 30,
  bootSeconds: 60,
  tickSeconds: 5,
  workerImagesPerSecond: 10,
  stuckAfterSeconds: 120,
};

export const queue = (visible: number, inFlight = 0, delayed = 0): QueueDepth => ({ visible, inFlight, delayed });
