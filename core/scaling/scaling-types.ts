import type { ScalingPolicyConfig } from '../config/scaler-config.js';

/** Messages in the request queue, as SQS reports them. */
export interface QueueDepth {
  /** Waiting to be received (ApproximateNumberOfMessages). */
  readonly visible: number;
  /** Received by a worker, not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  /** Sent with a delay, not yet visible (ApproximateNumberOfMessagesDelayed). */
  readonly delayed: number;
}

/** One worker as the fleet and its heartbeats describe it. */
export interface WorkerView {
  readonly id: string;
  /**
   * `pending`: launched, not yet polling; `running`: polling or working; `draining`: leaving (a Spot
   * interruption notice): it finishes what it holds and receives nothing more.
   */
  readonly state: 'pending' | 'running' | 'draining';
  /** Epoch ms of the launch. */
  readonly launchedAt: number;
  /** Epoch ms of its last heartbeat, if any arrived. */
  readonly lastHeartbeatAt?: number;
}

/** Everything the decision depends on: observations, estimates, policy, and the clock. */
export interface ScalingInput {
  readonly now: number;
  readonly queue: QueueDepth;
  readonly workers: readonly WorkerView[];
  /** Measured images per second one busy worker completes; undefined before any measurement. */
  readonly workerImagesPerSecond?: number;
  /** Estimated arrivals per second; undefined when unknown. */
  readonly arrivalsPerSecond?: number;
  readonly policy: ScalingPolicyConfig;
}

/** What to do this tick, and why. */
export interface ScalingDecision {
  /** Workers the policy wants running or pending. */
  readonly desired: number;
  /** Workers to launch now. */
  readonly launch: number;
  /** Workers to terminate now (stuck ones). */
  readonly terminate: readonly string[];
  /** Jobs not yet finished: visible + in flight + delayed. */
  readonly backlog: number;
  /** Healthy workers running and pending, as counted. */
  readonly running: number;
  readonly pending: number;
  /** One line a person can read in a log. */
  readonly reason: string;
  /** Inputs that were missing or absurd and what was used instead. */
  readonly warnings: readonly string[];
}
