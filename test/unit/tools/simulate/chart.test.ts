import { recordingLogger } from '../../../support/logs.js';
import { ChartError } from '#tools/errors.js';
import { renderChart } from '#tools/simulate/chart.js';
import type { PolicySummary } from '#tools/simulate/compare.js';
import type { PolicyName } from '#tools/simulate/policies.js';
import type { TimelinePoint } from '#tools/simulate/simulation.js';

const figures = { p50: 1, p95: 2, p99: 3, maxBacklog: 4, workerSeconds: 5, launches: 1, unfinished: 0 };

function summary(policy: PolicyName, timeline: TimelinePoint[]): PolicySummary {
  const sample = { latencies: [1], maxBacklog: 4, workerSeconds: 5, launches: 1, timeline, unfinished: 0 };
  return { policy, ...figures, sample };
}

/** Every element of a kind (e.g. the line marks' paths), as its opening tag. */
const tags = (svg: string, pattern: RegExp) => svg.match(new RegExp(pattern.source, 'g')) ?? [];
const texts = (svg: string, role: string) =>
  tags(svg, new RegExp(`<g class="mark-text role-${role}"[^>]*>(?:<text[^>]*>[^<]*</text>)+`)).flatMap((group) =>
    tags(group, />[^<]+<\/text>/).map((text) => text.slice(1, -'</text>'.length)),
  );

describe('renderChart', () => {
  // glimpse and greedy-per-4 coincide, as on the burst1000 trace.
  const same = [
    { at: 0, backlog: 4, workers: 0 },
    { at: 1, backlog: 4, workers: 2 },
    { at: 2, backlog: 0, workers: 2 },
  ];
  const summaries = [
    summary('greedy-per-4', same),
    summary('glimpse', same),
    summary('keda', [
      { at: 0, backlog: 4, workers: 0 },
      { at: 1, backlog: 3, workers: 1 },
      { at: 2, backlog: 1, workers: 1 },
    ]),
  ];

  it('titles the axes with their units and keys each policy once in the legend', async () => {
    const svg = await renderChart('burst: backlog and workers', summaries);

    expect(texts(svg, 'axis-title')).toEqual([
      'time (s)',
      'backlog (requests)',
      'time (s)',
      'workers (booting + running)',
    ]);
    expect(texts(svg, 'legend-label').sort()).toEqual(['glimpse', 'greedy-per-4', 'keda']);
    expect(texts(svg, 'title-text')).toEqual(['burst: backlog and workers']);
  });

  it('draws one path per series, coinciding series in different dashes and widths, glimpse underneath', async () => {
    const svg = await renderChart('burst', summaries);

    const lines = tags(svg, /<path aria-label="[^"]*policy: [^"]*"[^>]*aria-roledescription="line mark"[^>]*>/);
    const policyOf = (line: string) => /policy: ([^"]+)"/.exec(line)![1];
    const style = (line: string) =>
      [/stroke-width="([^"]+)"/, /stroke-dasharray="([^"]+)"/].map((r) => r.exec(line)![1]);
    expect(lines.map(policyOf)).toEqual(['glimpse', 'greedy-per-4', 'keda', 'glimpse', 'greedy-per-4', 'keda']);
    expect(style(lines[0]!)).not.toEqual(style(lines[1]!));
    expect(new Set(lines.map((line) => style(line).join(' '))).size).toBe(3);
  });

  it("logs Vega's warnings as records of the chart (an empty timeline has no extent)", async () => {
    const { logger, records } = recordingLogger();

    await renderChart('empty', [summary('glimpse', [])], logger);

    expect(records.length).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({ level: 'warn', chart: 'empty', msg: expect.stringMatching(/extent/i) });
  });

  it('wraps a failure in a ChartError with its cause', async () => {
    const rendering = renderChart('broken', [summary('no-such-policy' as PolicyName, same)]);

    await expect(rendering).rejects.toThrow(ChartError);
    await expect(rendering).rejects.toHaveProperty('cause', expect.any(TypeError));
  });
});
