import type { MetricDatum, MetricsSink } from './metrics-sink.js';

/** A point of a series: epoch ms and value. */
export type SeriesPoint = readonly [at: number, value: number];

/**
 * Recent measurements in memory, per metric name, for `GET /v1/metrics` on the local stack.
 * Each series keeps its newest `capacity` points.
 */
export class MetricSeries implements MetricsSink {
  private readonly series = new Map<string, SeriesPoint[]>();

  constructor(
    private readonly capacity = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(data: readonly MetricDatum[]): void {
    for (const datum of data) {
      if (!Number.isFinite(datum.value)) continue;
      const points = this.series.get(datum.name) ?? [];
      points.push([datum.at ?? this.now(), datum.value]);
      if (points.length > this.capacity) points.splice(0, points.length - this.capacity);
      this.series.set(datum.name, points);
    }
  }

  async flush(): Promise<void> {}

  /** Every series, optionally only points at or after `since` (epoch ms). */
  snapshot(since = 0): Record<string, SeriesPoint[]> {
    return Object.fromEntries(
      [...this.series.entries()].map(([name, points]) => [name, points.filter(([at]) => at >= since)]),
    );
  }
}
