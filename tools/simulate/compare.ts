import { percentile } from '../shared/percentile.js';
import { createPolicy, type PolicyModel, type PolicyName } from './policies.js';
import { simulate, type RunResult } from './simulation.js';
import { seededRandom, type Trace } from './traces.js';

/** A policy's figures on a trace, averaged over the runs. */
export interface PolicySummary {
  readonly policy: PolicyName;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly maxBacklog: number;
  readonly workerSeconds: number;
  readonly launches: number;
  readonly unfinished: number;
  /** The first run, for the chart. */
  readonly sample: RunResult;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Runs every policy on the trace `runs` times, each time shifting the trace by a random offset
 * (0–60 s, seeded) against the policies' polling phases, and averages the figures.
 */
export function compare(
  trace: Trace,
  policies: readonly PolicyName[],
  model: PolicyModel,
  runs: number,
  seed: number,
): PolicySummary[] {
  const random = seededRandom(seed);
  const offsets = Array.from({ length: runs }, () => random() * 60);
  const horizon = (trace.arrivals.at(-1) ?? 0) + 60 + 3600;
  return policies.map((name) => {
    const results = offsets.map((offset) =>
      simulate(
        trace.arrivals.map((t) => t + offset),
        createPolicy(name, model),
        model,
        horizon + offset,
      ),
    );
    return {
      policy: name,
      p50: mean(results.map((r) => percentile(r.latencies, 50))),
      p95: mean(results.map((r) => percentile(r.latencies, 95))),
      p99: mean(results.map((r) => percentile(r.latencies, 99))),
      maxBacklog: mean(results.map((r) => r.maxBacklog)),
      workerSeconds: mean(results.map((r) => r.workerSeconds)),
      launches: mean(results.map((r) => r.launches)),
      unfinished: mean(results.map((r) => r.unfinished)),
      sample: results[0]!,
    };
  });
}
