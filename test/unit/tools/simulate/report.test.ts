import type { PolicySummary } from '#tools/simulate/compare.js';
import { summaryTable } from '#tools/simulate/report.js';

const summary = (fields: Partial<PolicySummary>): PolicySummary => ({
  policy: 'glimpse',
  p50: 86.64,
  p95: 109.26,
  p99: 112.1,
  maxBacklog: 1000,
  workerSeconds: 3280.4,
  launches: 19,
  unfinished: 0,
  sample: { latencies: [], maxBacklog: 0, workerSeconds: 0, launches: 0, timeline: [], unfinished: 0 },
  ...fields,
});

describe('summaryTable', () => {
  it('writes one Markdown row per policy, as docs/scaling.md quotes them, with unfinished requests noted', () => {
    const table = summaryTable([summary({}), summary({ policy: 'keda', unfinished: 3 })]);

    expect(table.split('\n')).toEqual([
      '| policy | p50 s | p95 s | p99 s | max backlog | worker-seconds | launches |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| glimpse | 86.6 | 109.3 | 112.1 | 1000 | 3280 | 19.0 |',
      '| keda | 86.6 | 109.3 | 112.1 | 1000 | 3280 | 19.0 | (3 unfinished)',
    ]);
  });
});
