import type { PolicySummary } from './compare.js';
import type { SimulateOptions } from './simulate-options.js';

/** The first line of the report: the model and how many runs each figure averages. */
export function describeModel({ model, runs, seed }: SimulateOptions): string {
  return (
    `Model: boot ${model.bootSeconds} s, ${model.workerRequestsPerSecond} request/s per worker, idle exit ${model.idleExitSeconds} s, ` +
    `max ${model.maxWorkers} workers; glimpse tick ${model.tickSeconds} s, drain target ${model.targetDrainSeconds} s; ` +
    `${runs} runs per figure (random offsets, seed ${seed}).`
  );
}

/** The figures of every policy on one trace, as a Markdown table (docs/scaling.md quotes them). */
export function summaryTable(summaries: readonly PolicySummary[]): string {
  const header = '| policy | p50 s | p95 s | p99 s | max backlog | worker-seconds | launches |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = summaries.map(
    (s) =>
      `| ${s.policy} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.maxBacklog.toFixed(0)} | ` +
      `${s.workerSeconds.toFixed(0)} | ${s.launches.toFixed(1)} |${s.unfinished > 0 ? ` (${s.unfinished.toFixed(0)} unfinished)` : ''}`,
  );
  return [header, rule, ...rows].join('\n');
}
