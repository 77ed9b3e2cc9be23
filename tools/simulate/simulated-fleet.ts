import type { Observation, PolicyModel } from './policies.js';

/** One simulated worker. */
interface SimulatedWorker {
  readonly id: string;
  readonly launchedAt: number;
  readonly readyAt: number;
  /** When it finishes its current request (undefined: free). */
  busyUntil?: number;
  /** The arrival time of that request. */
  busyArrival?: number;
  /** When it last finished a request or became ready. */
  idleSince: number;
  exitedAt?: number;
}

/**
 * The workers of one run, on the simulator's clock: each boots for `bootSeconds`, then serves the
 * queue (arrival times, oldest first) one request at a time at `workerRequestsPerSecond`, and
 * records each answered request's latency.
 */
export class SimulatedFleet {
  /** Seconds from arrival to answer of each request served so far. */
  readonly latencies: number[] = [];
  private readonly workers: SimulatedWorker[] = [];
  private readonly serviceSeconds: number;
  private sequence = 0;

  constructor(
    private readonly model: PolicyModel,
    private readonly queue: number[],
  ) {
    this.serviceSeconds = 1 / model.workerRequestsPerSecond;
  }

  get launches(): number {
    return this.sequence;
  }

  live(): SimulatedWorker[] {
    return this.workers.filter((worker) => worker.exitedAt === undefined);
  }

  /** Live workers working on a request (SQS's in-flight messages). */
  busy(): number {
    return this.live().filter((worker) => worker.busyUntil !== undefined).length;
  }

  /** The live workers as a policy sees them. */
  view(now: number): Observation['workers'] {
    return this.live().map((worker) => ({
      id: worker.id,
      state: now >= worker.readyAt ? 'running' : 'pending',
      launchedAt: worker.launchedAt * 1000,
      busy: worker.busyUntil !== undefined,
    }));
  }

  /** Launches up to `count` workers, never more than `maxWorkers` live. */
  launch(count: number, now: number): void {
    const room = Math.max(0, this.model.maxWorkers - this.live().length);
    for (let i = 0; i < Math.min(count, room); i++) {
      const readyAt = now + this.model.bootSeconds;
      this.workers.push({ id: `w${++this.sequence}`, launchedAt: now, readyAt, idleSince: readyAt });
    }
  }

  terminate(ids: readonly string[], now: number): void {
    for (const id of ids) {
      const worker = this.workers.find((candidate) => candidate.id === id);
      if (!worker || worker.exitedAt !== undefined) continue;
      // A terminated worker's request goes back to the queue (SQS visibility timeout, simplified).
      if (worker.busyArrival !== undefined) this.queue.unshift(worker.busyArrival);
      worker.exitedAt = now;
    }
  }

  /** Each ready worker finishes its request if it is due and serves the queue back to back until `now`. */
  serve(now: number, stepSeconds: number): void {
    for (const worker of this.live()) {
      if (now < worker.readyAt) continue;
      const clock = worker.busyUntil ?? Math.max(worker.readyAt, now - stepSeconds);
      if (worker.busyUntil !== undefined) {
        if (worker.busyUntil > now) continue;
        this.finish(worker, worker.busyUntil, worker.busyArrival!);
        worker.busyUntil = undefined;
        worker.busyArrival = undefined;
      }
      this.takeRequests(worker, clock, now);
    }
  }

  /** The worker's own idle timer: free for `idleSeconds`, it exits (at the moment the timer ran out). */
  exitIdle(now: number, idleSeconds: number): void {
    for (const worker of this.live()) {
      if (now >= worker.readyAt && worker.busyUntil === undefined && now - worker.idleSince >= idleSeconds)
        worker.exitedAt = worker.idleSince + idleSeconds;
    }
  }

  /** What the fleet cost: each worker from launch to exit (or to `end`). */
  workerSeconds(end: number): number {
    return this.workers.reduce((sum, worker) => sum + ((worker.exitedAt ?? end) - worker.launchedAt), 0);
  }

  private takeRequests(worker: SimulatedWorker, clock: number, now: number): void {
    while (this.queue.length > 0 && this.queue[0]! <= now) {
      const arrival = this.queue.shift()!;
      const end = Math.max(clock, arrival) + this.serviceSeconds;
      if (end > now) {
        worker.busyUntil = end;
        worker.busyArrival = arrival;
        return;
      }
      this.finish(worker, end, arrival);
      clock = end;
    }
  }

  private finish(worker: SimulatedWorker, end: number, arrival: number): void {
    this.latencies.push(end - arrival);
    worker.idleSince = end;
  }
}
