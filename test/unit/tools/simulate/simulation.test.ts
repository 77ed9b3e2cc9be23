import { compare, type PolicySummary } from '#tools/simulate/compare.js';
import { createPolicy, POLICY_NAMES } from '#tools/simulate/policies.js';
import { parseSimulateOptions } from '#tools/simulate/simulate-options.js';
import { simulate } from '#tools/simulate/simulation.js';
import { buildTrace, TRACE_NAMES } from '#tools/simulate/traces.js';

/** The simulator's defaults (`npm run simulate`, the figures of docs/scaling.md). */
const { model, runs: RUNS, seed: SEED } = parseSimulateOptions([]);

describe('simulate', () => {
  it.each(POLICY_NAMES)(
    '%s: answers every request, bills workers from launch to exit, and never runs more than max',
    (name) => {
      // Prepare
      const arrivals = Array.from({ length: 40 }, (_, i) => i * 0.5);

      // Act
      const result = simulate(arrivals, createPolicy(name, model), model, 5000);

      // Assess
      expect(result.unfinished).toBe(0);
      expect(result.latencies).toHaveLength(40);
      // Nobody answers faster than a boot plus one service time (the fleet starts empty).
      expect(Math.min(...result.latencies)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...result.timeline.map((p) => p.workers))).toBeLessThanOrEqual(model.maxWorkers);
      expect(result.workerSeconds).toBeGreaterThanOrEqual(result.launches * model.bootSeconds);
    },
  );

  it('keeps one timeline point per second and one at the end, when the fleet is gone', () => {
    const result = simulate([0, 0.5], createPolicy('glimpse', model), model, 5000);

    const points = result.timeline;
    const gaps = points.slice(1, -1).map((point, i) => point.at - points[i]!.at);
    expect(points[0]!.at).toBe(0);
    for (const gap of gaps) expect(gap).toBeCloseTo(1);
    expect(points.map((p) => p.backlog)).toContain(2);
    expect(points.at(-1)).toMatchObject({ backlog: 0, workers: 0 });
    expect(points.at(-1)!.at - points.at(-2)!.at).toBeLessThanOrEqual(1);
  });

  it('stops at the horizon with what is left unfinished', () => {
    const result = simulate([0, 1, 2], createPolicy('glimpse', model), model, 30);

    expect(result.unfinished).toBe(3);
    expect(result.timeline.at(-1)!.at).toBeCloseTo(30);
  });
});

describe('compare', () => {
  it('repeats exactly with the same seed', () => {
    const trace = buildTrace('spiky', SEED);
    const strip = (s: PolicySummary[]) => s.map(({ sample: _sample, ...figures }) => figures);
    expect(strip(compare(trace, ['glimpse', 'keda'], model, 3, SEED))).toEqual(
      strip(compare(trace, ['glimpse', 'keda'], model, 3, SEED)),
    );
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
