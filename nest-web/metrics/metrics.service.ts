import type { MetricSeries, SeriesPoint } from '#core/metrics/metric-series.js';
import { MetricsElsewhereError } from '../errors.js';

/** The recent scaler and worker metrics the local stack keeps in memory (on AWS they are in CloudWatch). */
export class MetricsService {
  constructor(private readonly series?: MetricSeries) {}

  /** Per metric name, its points at or after `since` (epoch ms). */
  snapshot(since: number): Record<string, SeriesPoint[]> {
    if (!this.series) throw new MetricsElsewhereError();
    return this.series.snapshot(since);
  }
}
