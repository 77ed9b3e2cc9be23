import type { ScalingPolicyConfig } from '#core/config/scaler-config.js';
import { decide } from '#core/scaling/decide.js';
import { estimateArrivals, type ArrivalEstimate } from '#core/scaling/estimates.js';
import type { WorkerView } from '#core/scaling/scaling-types.js';
import { NUDGE_INTERVAL_MS } from '#core/scaling/scaler-nudge.js';

export const POLICY_NAMES = ['glimpse', 'greedy-per-4', 'cloudwatch-alarm', 'keda'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** What a policy sees at a tick (the simulator's stand-in for SQS and the fleet). */
export interface Observation {
  readonly now: number;
  /** Waiting requests (SQS ApproximateNumberOfMessages). */
  readonly visible: number;
  /** Requests being worked on (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  /** Requests finished so far. */
  readonly completed: number;
  /** Live workers. */
  readonly workers: ReadonlyArray<WorkerView & { readonly busy: boolean }>;
}

/** What a policy does at a tick. */
export interface Action {
  readonly launch: number;
  /** Workers to stop now. */
  readonly terminate: readonly string[];
}

/** A scaling policy as the simulator runs it: when it ticks and what it does then. */
export interface SimulatedPolicy {
  readonly name: PolicyName;
  /** Seconds between ticks (the first at 0). */
  readonly periodSeconds: number;
  /** Ticks when work arrives, at most once per this many seconds (Glimpse's nudge from the web tier). */
  readonly nudgeIntervalSeconds?: number;
  /** Workers exit by themselves after this many idle seconds (undefined: they never do). */
  readonly workerIdleExitSeconds?: number;
  tick(observation: Observation): Action;
}

export interface PolicyModel {
  readonly maxWorkers: number;
  readonly bootSeconds: number;
  readonly workerRequestsPerSecond: number;
  readonly idleExitSeconds: number;
  /** Glimpse's scaler tick. */
  readonly tickSeconds: number;
  readonly targetDrainSeconds: number;
}

/** The web tier nudges the scaler at most this often (`NUDGE_INTERVAL_MS`, core/scaling/scaler-nudge.ts). */
const NUDGE_INTERVAL_SECONDS = NUDGE_INTERVAL_MS / 1000;

const idleFirst = (observation: Observation, count: number): string[] =>
  [...observation.workers]
    .sort((a, b) => Number(a.busy) - Number(b.busy) || Number(a.state === 'running') - Number(b.state === 'running'))
    .slice(0, count)
    .map((worker) => worker.id);

/** Glimpse: the real decide(), the nudge, the idle exit. */
function glimpse(model: PolicyModel): SimulatedPolicy {
  const policy: ScalingPolicyConfig = {
    minWorkers: 0,
    maxWorkers: model.maxWorkers,
    targetDrainSeconds: model.targetDrainSeconds,
    bootSeconds: model.bootSeconds,
    tickSeconds: model.tickSeconds,
    workerImagesPerSecond: model.workerRequestsPerSecond,
    stuckAfterSeconds: 120,
  };
  let arrivals: ArrivalEstimate | undefined;
  return {
    name: 'glimpse',
    periodSeconds: model.tickSeconds,
    nudgeIntervalSeconds: NUDGE_INTERVAL_SECONDS,
    workerIdleExitSeconds: model.idleExitSeconds,
    tick(observation) {
      const backlog = observation.visible + observation.inFlight;
      arrivals = estimateArrivals(arrivals, { at: observation.now * 1000, backlog, completed: observation.completed });
      const decision = decide({
        now: observation.now * 1000,
        queue: { visible: observation.visible, inFlight: observation.inFlight, delayed: 0 },
        workers: observation.workers.map((worker) => ({ ...worker, lastHeartbeatAt: observation.now * 1000 })),
        workerImagesPerSecond: model.workerRequestsPerSecond,
        arrivalsPerSecond: arrivals.arrivalsPerSecond,
        policy,
      });
      return { launch: decision.launch, terminate: decision.terminate };
    },
  };
}

/** The course projects' 1-second loop: one instance per 4 queued requests, cap 19; workers exit when idle. */
function greedyPer4(model: PolicyModel): SimulatedPolicy {
  return {
    name: 'greedy-per-4',
    periodSeconds: 1,
    workerIdleExitSeconds: model.idleExitSeconds,
    tick(observation) {
      const desired = Math.min(model.maxWorkers, Math.ceil(observation.visible / 4));
      return { launch: Math.max(0, desired - observation.workers.length), terminate: [] };
    },
  };
}

/**
 * CloudWatch alarms on the 1-minute ApproximateNumberOfMessagesVisible: after 3 datapoints above
 * zero, +1 instance; after 3 at zero, −1; 60 s cooldown after each step (an Auto Scaling group:
 * instances do not exit by themselves).
 */
function cloudwatchAlarm(model: PolicyModel): SimulatedPolicy {
  const datapoints: number[] = [];
  let cooldownUntil = -Infinity;
  return {
    name: 'cloudwatch-alarm',
    periodSeconds: 60,
    tick(observation) {
      datapoints.push(observation.visible);
      const last3 = datapoints.slice(-3);
      if (last3.length < 3 || observation.now < cooldownUntil) return { launch: 0, terminate: [] };
      if (last3.every((value) => value > 0) && observation.workers.length < model.maxWorkers) {
        cooldownUntil = observation.now + 60;
        return { launch: 1, terminate: [] };
      }
      if (last3.every((value) => value === 0) && observation.workers.length > 0) {
        cooldownUntil = observation.now + 60;
        return { launch: 0, terminate: idleFirst(observation, 1) };
      }
      return { launch: 0, terminate: [] };
    },
  };
}

/**
 * KEDA's SQS scaler: polls every 30 s, wants ceil((visible + in flight) / 5) replicas (cap 19);
 * scale-up at once, scale-down after the HPA's 300 s stabilization window, to zero after the
 * 300 s cooldown. Replicas do not exit by themselves.
 */
function keda(model: PolicyModel): SimulatedPolicy {
  const recommendations: Array<{ at: number; desired: number }> = [];
  let lastActive = -Infinity;
  return {
    name: 'keda',
    periodSeconds: 30,
    tick(observation) {
      const backlog = observation.visible + observation.inFlight;
      if (backlog > 0) lastActive = observation.now;
      const wanted = Math.min(model.maxWorkers, Math.ceil(backlog / 5));
      recommendations.push({ at: observation.now, desired: wanted });
      const windowed = Math.max(...recommendations.filter((r) => r.at > observation.now - 300).map((r) => r.desired));
      const current = observation.workers.length;
      // Within the cooldown after the last activity KEDA keeps one replica rather than none.
      const desired = windowed === 0 && observation.now - lastActive < 300 ? Math.min(1, current) : windowed;
      if (desired > current) return { launch: desired - current, terminate: [] };
      if (desired < current) return { launch: 0, terminate: idleFirst(observation, current - desired) };
      return { launch: 0, terminate: [] };
    },
  };
}

export function createPolicy(name: PolicyName, model: PolicyModel): SimulatedPolicy {
  switch (name) {
    case 'glimpse':
      return glimpse(model);
    case 'greedy-per-4':
      return greedyPer4(model);
    case 'cloudwatch-alarm':
      return cloudwatchAlarm(model);
    case 'keda':
      return keda(model);
  }
}
