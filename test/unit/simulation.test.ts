import { percentile } from '#tools/shared/percentile.js';
import { compare, type PolicySummary } from '#tools/simulate/compare.js';
import { POLICY_NAMES, type PolicyModel } from '#tools/simulate/policies.js';
import { simulate } from '#tools/simulate/simulation.js';
import { createPolicy } from '#tools/simulate/policies.js';
import { buildTrace, TRACE_NAMES } from '#tools/simulate/traces.js';

/** The simulator's defaults (npm run simulate). */
const model: PolicyModel = {
  bootSeconds: 60,
  workerRequestsPerSecond: 1,
  idleExitSeconds: 60,
  maxWorkers: 19,
  tickSeconds: 5,
  targetDrainSeconds: 30,
};
const RUNS = 20;
const SEED = 7;

describe('simulator mechanics', () => {
  it('answers every request, bills workers from launch to exit, and never runs more than max', () => {
    const arrivals = Array.from({ length: 40 }, (_, i) => i * 0.5);
    for (const name of POLICY_NAMES) {
      const result = simulate(arrivals, createPolicy(name, model), model, 5000);
      expect(result.unfinished).toBe(0);
      expect(result.latencies).toHaveLength(40);
      // Nobody answers faster than a boot plus one service time (the fleet starts empty).
      expect(Math.min(...result.latencies)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...result.timeline.map((p) => p.workers))).toBeLessThanOrEqual(model.maxWorkers);
      expect(result.workerSeconds).toBeGreaterThanOrEqual(result.launches * model.bootSeconds);
    }
  });

  it('repeats exactly with the same seed', () => {
    const trace = buildTrace('spiky', SEED);
    const strip = (s: PolicySummary[]) => s.map(({ sample: _sample, ...figures }) => figures);
    expect(strip(compare(trace, ['glimpse', 'keda'], model, 3, SEED))).toEqual(
      strip(compare(trace, ['glimpse', 'keda'], model, 3, SEED)),
    );
  });

  it('percentile is nearest-rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});

describe('glimpse against the peers (20 seeded offsets per figure)', () => {
  const results = new Map(
    TRACE_NAMES.map((name) => [name, compare(buildTrace(name, SEED), POLICY_NAMES, model, RUNS, SEED)]),
  );

  it.each(TRACE_NAMES)('%s: no peer beats glimpse on both p95 latency and worker-seconds', (name) => {
    const summaries = results.get(name)!;
    const glimpse = summaries.find((s) => s.policy === 'glimpse')!;
    for (const peer of summaries.filter((s) => s.policy !== 'glimpse')) {
      const dominates = peer.p95 < glimpse.p95 && peer.workerSeconds < glimpse.workerSeconds;
      expect({ peer: peer.policy, dominates }).toEqual({ peer: peer.policy, dominates: false });
    }
    expect(glimpse.unfinished).toBe(0);
  });

  it('burst1000: glimpse has the lowest p95 latency for at most 10% more worker-seconds than the cheapest', () => {
    const summaries = results.get('burst1000')!;
    const glimpse = summaries.find((s) => s.policy === 'glimpse')!;
    expect(glimpse.p95).toBe(Math.min(...summaries.map((s) => s.p95)));
    expect(glimpse.workerSeconds).toBeLessThanOrEqual(1.1 * Math.min(...summaries.map((s) => s.workerSeconds)));
  });
});
