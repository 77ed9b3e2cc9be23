import type { PolicyModel, SimulatedPolicy } from './policies.js';

/** One simulated worker. */
interface SimWorker {
  readonly id: string;
  readonly launchedAt: number;
  readonly readyAt: number;
  /** When it finishes its current request (undefined: free). */
  busyUntil?: number;
  busyArrival?: number;
  /** When it last finished a request or became ready. */
  idleSince: number;
  exitedAt?: number;
}

/** A point of the chart: backlog and workers at a time. */
export interface TimelinePoint {
  readonly at: number;
  readonly backlog: number;
  readonly workers: number;
}

/** The figures of one run. */
export interface RunResult {
  readonly latencies: number[];
  readonly maxBacklog: number;
  readonly workerSeconds: number;
  readonly launches: number;
  readonly timeline: TimelinePoint[];
  readonly unfinished: number;
}

const STEP = 0.1;

/**
 * Runs one trace (arrival times, already offset) under one policy on a virtual clock in 0.1 s
 * steps. Workers boot for `bootSeconds`, then serve one request at a time at
 * `workerRequestsPerSecond`; a worker costs from launch to exit. The run ends when every request
 * is answered and every worker has exited (or at `horizonSeconds`).
 */
export function simulate(
  arrivals: readonly number[],
  policy: SimulatedPolicy,
  model: PolicyModel,
  horizonSeconds: number,
): RunResult {
  const serviceSeconds = 1 / model.workerRequestsPerSecond;
  const queue: number[] = [];
  const workers: SimWorker[] = [];
  const latencies: number[] = [];
  const timeline: TimelinePoint[] = [];
  let next = 0;
  let launches = 0;
  let maxBacklog = 0;
  let nextTick = 0;
  let lastNudge = -Infinity;
  let sequence = 0;

  const live = () => workers.filter((worker) => worker.exitedAt === undefined);
  const act = (now: number) => {
    const current = live();
    const action = policy.tick({
      now,
      visible: queue.length,
      inFlight: current.filter((w) => w.busyUntil !== undefined).length,
      completed: latencies.length,
      workers: current.map((w) => ({
        id: w.id,
        state: now >= w.readyAt ? 'running' : 'pending',
        launchedAt: w.launchedAt * 1000,
        busy: w.busyUntil !== undefined,
      })),
    });
    for (const id of action.terminate) {
      const worker = workers.find((w) => w.id === id);
      if (!worker || worker.exitedAt !== undefined) continue;
      // A terminated worker's request goes back to the queue (SQS visibility timeout, simplified).
      if (worker.busyArrival !== undefined) queue.unshift(worker.busyArrival);
      worker.exitedAt = now;
    }
    const room = Math.max(0, model.maxWorkers - live().length);
    for (let i = 0; i < Math.min(action.launch, room); i++) {
      workers.push({
        id: `w${++sequence}`,
        launchedAt: now,
        readyAt: now + model.bootSeconds,
        idleSince: now + model.bootSeconds,
      });
      launches++;
    }
  };

  for (let step = 0; ; step++) {
    const now = step * STEP;
    let arrived = false;
    while (next < arrivals.length && arrivals[next]! <= now) {
      queue.push(arrivals[next++]!);
      arrived = true;
    }
    // Work: each ready worker serves requests back to back within this step.
    for (const worker of live()) {
      if (now < worker.readyAt) continue;
      let clock = worker.busyUntil ?? Math.max(worker.readyAt, now - STEP);
      if (worker.busyUntil !== undefined && worker.busyUntil > now) continue;
      if (worker.busyUntil !== undefined) {
        latencies.push(worker.busyUntil - worker.busyArrival!);
        worker.idleSince = worker.busyUntil;
        worker.busyUntil = undefined;
        worker.busyArrival = undefined;
      }
      while (queue.length > 0 && queue[0]! <= now) {
        const arrival = queue.shift()!;
        const start = Math.max(clock, arrival);
        const end = start + serviceSeconds;
        if (end > now) {
          worker.busyUntil = end;
          worker.busyArrival = arrival;
          break;
        }
        latencies.push(end - arrival);
        worker.idleSince = end;
        clock = end;
      }
    }
    // Idle exit (the worker's own timer).
    if (policy.workerIdleExitSeconds !== undefined) {
      for (const worker of live()) {
        if (
          now >= worker.readyAt &&
          worker.busyUntil === undefined &&
          now - worker.idleSince >= policy.workerIdleExitSeconds
        ) {
          worker.exitedAt = worker.idleSince + policy.workerIdleExitSeconds;
        }
      }
    }
    const nudge =
      arrived && policy.nudgeIntervalSeconds !== undefined && now - lastNudge >= policy.nudgeIntervalSeconds - 1e-9;
    if (nudge) lastNudge = now;
    if (now >= nextTick - 1e-9 || nudge) {
      act(now);
      if (now >= nextTick - 1e-9) nextTick += policy.periodSeconds;
    }
    const backlog = queue.length + live().filter((w) => w.busyUntil !== undefined).length;
    maxBacklog = Math.max(maxBacklog, backlog);
    if (step % 10 === 0) timeline.push({ at: now, backlog, workers: live().length });
    const done = next >= arrivals.length && backlog === 0 && live().length === 0;
    if (done || now >= horizonSeconds) {
      const end = now;
      const workerSeconds = workers.reduce((sum, w) => sum + ((w.exitedAt ?? end) - w.launchedAt), 0);
      return {
        latencies,
        maxBacklog,
        workerSeconds,
        launches,
        timeline,
        unfinished: arrivals.length - latencies.length,
      };
    }
  }
}
