import type { PolicyModel, SimulatedPolicy } from './policies.js';
import { SimulatedFleet } from './simulated-fleet.js';

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

const STEP_SECONDS = 0.1;
/** The timeline keeps one point per this many steps (one a second), and the run's last step. */
const STEPS_PER_POINT = 10;
/** Tolerance for comparing clock times built from sums of 0.1 s steps. */
const EPSILON = 1e-9;

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
  const run = new SimulatedRun(arrivals, policy, model);
  for (let step = 0; ; step++) {
    const now = step * STEP_SECONDS;
    const arrived = run.admitArrivals(now);
    run.fleet.serve(now, STEP_SECONDS);
    if (policy.workerIdleExitSeconds !== undefined) run.fleet.exitIdle(now, policy.workerIdleExitSeconds);
    run.tickIfDue(now, arrived);
    const backlog = run.measureBacklog();
    const last = run.isFinished(backlog) || now >= horizonSeconds;
    if (last || step % STEPS_PER_POINT === 0) run.addPoint(now, backlog);
    if (last) return run.result(now);
  }
}

/** The state of one run between steps: the queue, the fleet, the policy's clock and the records. */
class SimulatedRun {
  readonly fleet: SimulatedFleet;
  private readonly queue: number[] = [];
  private readonly timeline: TimelinePoint[] = [];
  private admitted = 0;
  private maxBacklog = 0;
  private nextTick = 0;
  private lastNudge = -Infinity;

  constructor(
    private readonly arrivals: readonly number[],
    private readonly policy: SimulatedPolicy,
    model: PolicyModel,
  ) {
    this.fleet = new SimulatedFleet(model, this.queue);
  }

  /** Queues the requests that have arrived by `now`; true if any did. */
  admitArrivals(now: number): boolean {
    const before = this.admitted;
    while (this.admitted < this.arrivals.length && this.arrivals[this.admitted]! <= now)
      this.queue.push(this.arrivals[this.admitted++]!);
    return this.admitted > before;
  }

  /** The policy ticks on its period, and (Glimpse) when work arrives, at most once per nudge interval. */
  tickIfDue(now: number, arrived: boolean): void {
    const scheduled = now >= this.nextTick - EPSILON;
    const interval = this.policy.nudgeIntervalSeconds;
    const nudged = arrived && interval !== undefined && now - this.lastNudge >= interval - EPSILON;
    if (nudged) this.lastNudge = now;
    if (scheduled || nudged) this.act(now);
    if (scheduled) this.nextTick += this.policy.periodSeconds;
  }

  /** The requests not yet answered (waiting or being served), also kept as the run's maximum. */
  measureBacklog(): number {
    const backlog = this.queue.length + this.fleet.busy();
    this.maxBacklog = Math.max(this.maxBacklog, backlog);
    return backlog;
  }

  addPoint(now: number, backlog: number): void {
    this.timeline.push({ at: now, backlog, workers: this.fleet.live().length });
  }

  /** Every request arrived and answered, every worker gone. */
  isFinished(backlog: number): boolean {
    return this.admitted >= this.arrivals.length && backlog === 0 && this.fleet.live().length === 0;
  }

  result(end: number): RunResult {
    const latencies = this.fleet.latencies;
    return {
      latencies,
      maxBacklog: this.maxBacklog,
      workerSeconds: this.fleet.workerSeconds(end),
      launches: this.fleet.launches,
      timeline: this.timeline,
      unfinished: this.arrivals.length - latencies.length,
    };
  }

  /** Shows the policy the queue and the fleet, then carries out what it decides. */
  private act(now: number): void {
    const action = this.policy.tick({
      now,
      visible: this.queue.length,
      inFlight: this.fleet.busy(),
      completed: this.fleet.latencies.length,
      workers: this.fleet.view(now),
    });
    this.fleet.terminate(action.terminate, now);
    this.fleet.launch(action.launch, now);
  }
}
