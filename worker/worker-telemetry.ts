import type { HeartbeatStore } from '#core/fleet/heartbeat-store.js';
import type { Heartbeat } from '#core/fleet/heartbeat.js';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import { WORKER_METRICS } from '#core/metrics/metric-names.js';
import type { MetricDatum, MetricsSink } from '#core/metrics/metrics-sink.js';
import type { BatchOutcome } from './jobs/job-processor.js';

export interface TelemetryOptions {
  readonly workerId: string;
  readonly heartbeats: Pick<HeartbeatStore, 'put'>;
  readonly metrics: MetricsSink;
  readonly intervalMs: number;
  /** Milliseconds spent working on batches so far, read at each heartbeat. */
  readonly busyMs: () => number;
  readonly log: Logger;
  readonly now?: () => number;
}

/**
 * A worker's outward signs: a heartbeat in the output bucket every interval (the scaler's view of
 * liveness and throughput) and per-batch metrics. Failures to report are logged, never fatal.
 */
export class WorkerTelemetry {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();
  private draining = false;
  /** Images finished (done or failed) since start. */
  private imagesClassified = 0;
  private readonly startedAt: number;
  private readonly now: () => number;

  constructor(private readonly options: TelemetryOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  async start(): Promise<void> {
    await this.beat(false);
    // One beat at a time, in order: a late beat never overwrites the final one.
    this.timer = setInterval(() => {
      this.beating = this.beating.then(() => this.beat(false));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Metrics of one finished batch. */
  onBatch(outcome: BatchOutcome): void {
    const at = this.now();
    const data: MetricDatum[] = [];
    this.imagesClassified += outcome.published.length;
    const done = outcome.published.filter((record) => record.status === 'done');
    data.push({ name: WORKER_METRICS.imagesClassified, value: outcome.published.length, unit: 'Count', at });
    data.push({ name: WORKER_METRICS.imagesFailed, value: outcome.published.length - done.length, unit: 'Count', at });
    // One onnxruntime call per distinct (batch size, duration) among the batch's records.
    const calls = new Map(done.map((r) => [`${r.timings.batchSize}:${r.timings.inferenceMs}`, r.timings]));
    for (const call of calls.values()) {
      data.push({ name: WORKER_METRICS.batchSize, value: call.batchSize, unit: 'Count', at });
      data.push({ name: WORKER_METRICS.inferenceMs, value: call.inferenceMs, unit: 'Milliseconds', at });
    }
    for (const record of outcome.published) {
      data.push({ name: WORKER_METRICS.queueWaitMs, value: record.timings.queueWaitMs, unit: 'Milliseconds', at });
      data.push({ name: WORKER_METRICS.endToEndMs, value: record.timings.totalMs, unit: 'Milliseconds', at });
    }
    this.options.metrics.record(data);
  }

  /**
   * From now on the worker drains (it receives nothing more and leaves): a heartbeat says so at
   * once, so that the scaler counts it as leaving and replaces it if work remains.
   */
  markDraining(): void {
    this.draining = true;
    this.beating = this.beating.then(() => this.beat(false));
  }

  /** Final heartbeat (marked stopped) and metrics flush. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await Promise.all([this.beat(true), this.flush()]);
  }

  async flush(): Promise<void> {
    await this.options.metrics
      .flush()
      .catch((error: unknown) => this.options.log.warn({ error: describeError(error) }, 'metrics flush failed'));
  }

  private async beat(stopped: boolean): Promise<void> {
    const heartbeat: Heartbeat = {
      workerId: this.options.workerId,
      startedAt: this.startedAt,
      at: this.now(),
      imagesClassified: this.imagesClassified,
      busyMs: this.options.busyMs(),
      stopped,
      ...(this.draining ? { draining: true } : {}),
    };
    try {
      await this.options.heartbeats.put(heartbeat);
    } catch (error) {
      this.options.log.warn({ error: describeError(error) }, 'heartbeat failed');
    }
    if (!stopped) await this.flush();
  }
}
