import {
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDatum as CloudWatchDatum,
} from '@aws-sdk/client-cloudwatch';
import type { MetricDatum, MetricsSink } from './metrics-sink.js';

/** PutMetricData takes at most 1000 data per call. */
const MAX_PER_CALL = 1000;

/** Buffers measurements and publishes them to CloudWatch with one dimension, `Fleet`. */
export class CloudWatchSink implements MetricsSink {
  private buffer: CloudWatchDatum[] = [];

  constructor(
    private readonly client: CloudWatchClient,
    private readonly namespace: string,
    private readonly fleetName: string,
  ) {}

  record(data: readonly MetricDatum[]): void {
    for (const datum of data) {
      if (!Number.isFinite(datum.value)) continue;
      this.buffer.push({
        MetricName: datum.name,
        Value: datum.value,
        Unit: datum.unit,
        Timestamp: new Date(datum.at ?? Date.now()),
        Dimensions: [{ Name: 'Fleet', Value: this.fleetName }],
      });
    }
  }

  async flush(): Promise<void> {
    const pending = this.buffer;
    this.buffer = [];
    for (let start = 0; start < pending.length; start += MAX_PER_CALL) {
      await this.client.send(
        new PutMetricDataCommand({ Namespace: this.namespace, MetricData: pending.slice(start, start + MAX_PER_CALL) }),
      );
    }
  }
}
