import type { WorkerPrice } from '#core/config/cost-config.js';
import { costReceipt, type CostReceipt } from '#core/metrics/cost-receipt.js';
import type { MetricSeries, SeriesPoint } from '#core/metrics/metric-series.js';
import { MetricsElsewhereError } from '../errors.js';

/** The answer of `GET /v1/metrics` (its Swagger schema: MetricsAnswerDto). */
export interface MetricsAnswer {
  readonly metrics: Record<string, SeriesPoint[]>;
  readonly receipt: CostReceipt;
}

/** The recent scaler and worker metrics the local stack keeps in memory (on AWS they are in CloudWatch). */
export class MetricsService {
  constructor(
    private readonly price: WorkerPrice,
    private readonly series?: MetricSeries,
  ) {}

  /** Per metric name, its points at or after `since` (epoch ms), and the cost receipt so far. */
  snapshot(since: number): MetricsAnswer {
    if (!this.series) throw new MetricsElsewhereError();
    return { metrics: this.series.snapshot(since), receipt: costReceipt(this.series, this.price) };
  }
}
