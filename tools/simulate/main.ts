import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart } from './chart.js';
import { compare, type PolicySummary } from './compare.js';
import { POLICY_NAMES, type PolicyModel, type PolicyName } from './policies.js';
import { buildTrace, TRACE_NAMES, type TraceName } from './traces.js';

/** `npm run simulate -- --trace <name|all> [--policy a,b] [--runs 20] [--seed 7] [--boot 60] …` */
const { values } = parseArgs({
  options: {
    trace: { type: 'string', default: 'all' },
    policy: { type: 'string', default: POLICY_NAMES.join(',') },
    runs: { type: 'string', default: '20' },
    seed: { type: 'string', default: '7' },
    boot: { type: 'string', default: '60' },
    throughput: { type: 'string', default: '1' },
    idle: { type: 'string', default: '60' },
    max: { type: 'string', default: '19' },
    tick: { type: 'string', default: '5' },
    drain: { type: 'string', default: '30' },
    out: { type: 'string', default: 'docs/scaling' },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`simulate: ${message}\n`);
  process.exit(2);
};
const number = (name: keyof typeof values) => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number`);
  return value;
};
const traces = (values.trace === 'all' ? [...TRACE_NAMES] : [values.trace!]) as TraceName[];
for (const trace of traces)
  if (!TRACE_NAMES.includes(trace)) fail(`unknown trace ${trace} (${TRACE_NAMES.join(', ')})`);
const policies = values.policy!.split(',') as PolicyName[];
for (const policy of policies)
  if (!POLICY_NAMES.includes(policy)) fail(`unknown policy ${policy} (${POLICY_NAMES.join(', ')})`);
const model: PolicyModel = {
  bootSeconds: number('boot'),
  workerRequestsPerSecond: number('throughput'),
  idleExitSeconds: number('idle'),
  maxWorkers: number('max'),
  tickSeconds: number('tick'),
  targetDrainSeconds: number('drain'),
};
const runs = number('runs');
const seed = number('seed');

process.stdout.write(
  `Model: boot ${model.bootSeconds} s, ${model.workerRequestsPerSecond} request/s per worker, idle exit ${model.idleExitSeconds} s, ` +
    `max ${model.maxWorkers} workers; glimpse tick ${model.tickSeconds} s, drain target ${model.targetDrainSeconds} s; ` +
    `${runs} runs per figure (random offsets, seed ${seed}).\n`,
);
for (const name of traces) {
  const trace = buildTrace(name, seed);
  const summaries = compare(trace, policies, model, runs, seed);
  process.stdout.write(`\n${name}: ${trace.description} (${trace.arrivals.length} requests)\n${table(summaries)}\n`);
  const file = `${values.out}-${name}.svg`;
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, renderChart(`${name}: backlog and workers (first run)`, summaries));
  process.stdout.write(`chart: ${file}\n`);
}

function table(summaries: readonly PolicySummary[]): string {
  const header = '| policy | p50 s | p95 s | p99 s | max backlog | worker-seconds | launches |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = summaries.map(
    (s) =>
      `| ${s.policy} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.maxBacklog.toFixed(0)} | ` +
      `${s.workerSeconds.toFixed(0)} | ${s.launches.toFixed(1)} |${s.unfinished > 0 ? ` (${s.unfinished.toFixed(0)} unfinished)` : ''}`,
  );
  return [header, rule, ...rows].join('\n');
}
