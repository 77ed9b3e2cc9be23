import type { MetricDatum, MetricsSink } from '#core/metrics/metrics-sink.js';
import type { WorkerIpcMessage } from './ipc-messages.js';

/** Hands metrics to the process that spawned this worker, over the IPC channel. */
export class IpcMetricsSink implements MetricsSink {
  constructor(
    private readonly workerId: string,
    private readonly send: (message: WorkerIpcMessage) => void,
  ) {}

  record(data: readonly MetricDatum[]): void {
    if (data.length > 0) this.send({ type: 'metrics', workerId: this.workerId, data: [...data] });
  }

  async flush(): Promise<void> {}
}
