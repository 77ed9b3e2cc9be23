import type { MetricDatum } from '#core/metrics/metrics-sink.js';
import { parseWorkerIpcMessage, type WorkerIpcMessage } from '#worker/ipc-messages.js';
import { IpcMetricsSink } from '#worker/ipc-metrics-sink.js';

describe('worker IPC messages', () => {
  it('what the metrics sink sends is what the fleet parses', () => {
    // Prepare
    const sent: WorkerIpcMessage[] = [];
    const sink = new IpcMetricsSink('local-abc-1', (message) => sent.push(message));
    const data: MetricDatum[] = [
      { name: 'ImagesClassified', value: 3, unit: 'Count', at: 1_700_000_000_000 },
      { name: 'InferenceMs', value: 41.5, unit: 'Milliseconds' },
    ];
    // Act
    sink.record(data);
    sink.record([]);
    // Assess
    expect(sent.map(parseWorkerIpcMessage)).toEqual([{ type: 'metrics', workerId: 'local-abc-1', data }]);
  });

  it.each([
    ['ready', { type: 'ready', workerId: 'w1' }, { type: 'ready', workerId: 'w1' }],
    ['an unknown type', { type: 'hello', workerId: 'w1' }, undefined],
    ['metrics without data', { type: 'metrics', workerId: 'w1' }, undefined],
    [
      'a datum with an unknown unit',
      { type: 'metrics', workerId: 'w1', data: [{ name: 'x', value: 1, unit: 'Bytes' }] },
      undefined,
    ],
    ['not an object', 'ready', undefined],
  ])('parses %s', (_name, value, expected) => {
    expect(parseWorkerIpcMessage(value)).toEqual(expected);
  });
});
