import type { MetricDatum, MetricsSink } from './metrics-sink.js';

/** A point of a series: epoch ms and value. */
export type SeriesPoint = readonly [at: number, value: number];

/** A series over everything ever recorded in it, not only the points kept. */
export interface SeriesTotal {
  /** Epoch ms of its first point. */
  readonly since: number;
  /** The sum of its values (a count's total: images classified). */
  readonly sum: number;
  /**
   * Its area up to now in value × seconds, each value holding until the next point (a gauge's
   * integral: workers in the fleet → worker-seconds). The last value holds until now.
   */
  readonly valueSeconds: number;
}

interface RunningTotal {
  readonly since: number;
  sum: number;
  valueMs: number;
  last: SeriesPoint;
}

/**
 * Recent measurements in memory, per metric name, for `GET /v1/metrics` on the local stack.
 * Each series keeps its newest `capacity` points, and running totals over all of them.
 */
export class MetricSeries implements MetricsSink {
  private readonly series = new Map<string, SeriesPoint[]>();
  private readonly totals = new Map<string, RunningTotal>();

  constructor(
    private readonly capacity = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(data: readonly MetricDatum[]): void {
    for (const datum of data) {
      if (!Number.isFinite(datum.value)) continue;
      const point: SeriesPoint = [datum.at ?? this.now(), datum.value];
      const points = this.series.get(datum.name) ?? [];
      points.push(point);
      if (points.length > this.capacity) points.splice(0, points.length - this.capacity);
      this.series.set(datum.name, points);
      this.addToTotal(datum.name, point);
    }
  }

  async flush(): Promise<void> {}

  /** Every series, optionally only points at or after `since` (epoch ms). */
  snapshot(since = 0): Record<string, SeriesPoint[]> {
    return Object.fromEntries(
      [...this.series.entries()].map(([name, points]) => [name, points.filter(([at]) => at >= since)]),
    );
  }

  /** The series' totals since its first point; `undefined` before any. */
  total(name: string): SeriesTotal | undefined {
    const total = this.totals.get(name);
    if (!total) return undefined;
    const [lastAt, lastValue] = total.last;
    const valueMs = total.valueMs + lastValue * Math.max(0, this.now() - lastAt);
    return { since: total.since, sum: total.sum, valueSeconds: valueMs / 1000 };
  }

  private addToTotal(name: string, point: SeriesPoint): void {
    const total = this.totals.get(name);
    if (!total) {
      this.totals.set(name, { since: point[0], sum: point[1], valueMs: 0, last: point });
      return;
    }
    total.sum += point[1];
    // A point older than the last (a worker's late report) counts in the sum, not the area.
    if (point[0] < total.last[0]) return;
    total.valueMs += total.last[1] * (point[0] - total.last[0]);
    total.last = point;
  }
}
