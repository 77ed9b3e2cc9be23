import type { ScalingPolicyConfig } from '../config/scaler-config.js';
import type { Fleet } from '../fleet/fleet.js';
import type { Heartbeat } from '../fleet/heartbeat.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { SCALER_METRICS } from '../metrics/metric-names.js';
import type { MetricsSink } from '../metrics/metrics-sink.js';
import { decide } from './decide.js';
import { estimateArrivals, measuredWorkerThroughput, type ArrivalEstimate } from './estimates.js';
import type { QueueDepth, ScalingDecision, WorkerView } from './scaling-types.js';

export interface ScalerDeps {
  readonly observeQueue: () => Promise<QueueDepth>;
  readonly fleet: Fleet;
  readonly heartbeats: { read(workerIds: readonly string[]): Promise<Heartbeat[]> };
  readonly metrics: MetricsSink;
  readonly policy: ScalingPolicyConfig;
  readonly log: Logger;
  readonly now?: () => number;
}

/** Allowed difference between the launcher's and the worker's clocks. */
const CLOCK_SKEW_MS = 60_000;

/** What one tick saw and did. */
export interface TickReport {
  readonly at: number;
  readonly decision: ScalingDecision;
  readonly launched: readonly string[];
  readonly terminated: readonly string[];
}

/**
 * The control loop: observe (queue depth, fleet, heartbeats), decide (the pure policy), act
 * (launch, terminate), record metrics. Ticks never overlap; a nudge runs one as soon as possible.
 */
export class Scaler {
  private readonly now: () => number;
  private arrivals: ArrivalEstimate | undefined;
  /** Images finished by all workers so far, and each live worker's last counter (bounded by the fleet). */
  private completed = 0;
  private readonly lastCount = new Map<string, number>();
  private running: Promise<TickReport> | undefined;
  private nudged = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ScalerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Runs one tick (or joins the one in progress). */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
      if (this.nudged) {
        this.nudged = false;
        this.nudge();
      }
    });
    return this.running;
  }

  /** Work arrived: tick now rather than at the next interval. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.nudged = true;
    else
      void this.tick().catch((error: unknown) =>
        this.deps.log.error({ error: describeError(error) }, 'scaler tick failed'),
      );
  }

  /** Ticks every `tickSeconds` until stopped. */
  start(): void {
    this.timer = setInterval(() => this.nudge(), this.deps.policy.tickSeconds * 1000);
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async runTick(): Promise<TickReport> {
    const [queue, fleet] = await Promise.all([this.deps.observeQueue(), this.deps.fleet.list()]);
    const launchedAt = new Map(fleet.map((worker) => [worker.id, worker.launchedAt]));
    // A record older than its worker's launch belongs to an earlier worker of the same id.
    const heartbeats = (await this.deps.heartbeats.read([...launchedAt.keys()])).filter(
      (heartbeat) => heartbeat.startedAt >= (launchedAt.get(heartbeat.workerId) ?? Infinity) - CLOCK_SKEW_MS,
    );
    const at = this.now();
    for (const heartbeat of heartbeats) {
      const previous = this.lastCount.get(heartbeat.workerId) ?? 0;
      this.completed += Math.max(0, heartbeat.imagesClassified - previous);
      this.lastCount.set(heartbeat.workerId, Math.max(previous, heartbeat.imagesClassified));
    }
    for (const id of this.lastCount.keys()) if (!launchedAt.has(id)) this.lastCount.delete(id);
    const completed = this.completed;
    const backlog = [queue.visible, queue.inFlight, queue.delayed].filter(Number.isFinite).reduce((a, b) => a + b, 0);
    this.arrivals = estimateArrivals(this.arrivals, { at, backlog, completed });

    const live = new Map(heartbeats.filter((h) => !h.stopped).map((h) => [h.workerId, h]));
    const lastBeat = new Map([...live].map(([id, h]) => [id, h.at]));
    const workers: WorkerView[] = fleet.map((worker) => {
      const beat = live.get(worker.id);
      if (beat === undefined) return worker;
      return { ...worker, state: beat.draining ? 'draining' : 'running', lastHeartbeatAt: beat.at };
    });
    const decision = decide({
      now: at,
      queue,
      workers,
      workerImagesPerSecond: measuredWorkerThroughput(heartbeats.filter((h) => lastBeat.has(h.workerId))),
      arrivalsPerSecond: this.arrivals.arrivalsPerSecond,
      policy: this.deps.policy,
    });

    const terminated = [...decision.terminate];
    if (terminated.length > 0) await this.deps.fleet.terminate(terminated);
    // Two scalers (say a scheduled run and a nudged one) deciding in the same tick window from the
    // same fleet size share a token: EC2 launches for one of them only.
    const window = Math.floor(at / (this.deps.policy.tickSeconds * 1000));
    const token = `glimpse-${window}-${decision.running + decision.pending}`;
    const launched = decision.launch > 0 ? await this.deps.fleet.launch(decision.launch, token) : [];
    if (launched.length > 0 || terminated.length > 0) {
      this.deps.log.info({ reason: decision.reason, launched, terminated, warnings: decision.warnings }, 'scaled');
    }
    this.deps.metrics.record([
      { name: SCALER_METRICS.backlog, value: decision.backlog, unit: 'Count', at },
      { name: SCALER_METRICS.inFlight, value: Number.isFinite(queue.inFlight) ? queue.inFlight : 0, unit: 'Count', at },
      { name: SCALER_METRICS.workersPending, value: decision.pending, unit: 'Count', at },
      { name: SCALER_METRICS.workersRunning, value: decision.running, unit: 'Count', at },
      { name: SCALER_METRICS.workersDraining, value: draining(workers), unit: 'Count', at },
      { name: SCALER_METRICS.workersInFleet, value: fleet.length, unit: 'Count', at },
      { name: SCALER_METRICS.desiredWorkers, value: decision.desired, unit: 'Count', at },
      { name: SCALER_METRICS.workersLaunched, value: launched.length, unit: 'Count', at },
      { name: SCALER_METRICS.workersTerminated, value: terminated.length, unit: 'Count', at },
    ]);
    return { at, decision, launched, terminated };
  }
}

/** Workers leaving (a Spot interruption notice): they finish what they hold and receive nothing more. */
function draining(workers: readonly WorkerView[]): number {
  return workers.filter((worker) => worker.state === 'draining').length;
}
