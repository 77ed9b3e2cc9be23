import { renderBenchReport } from '#tools/bench/report/bench-tables.js';
import { bare, cold, report, stackPhase } from '../report-fixtures.js';

describe('renderBenchReport', () => {
  it('shows every section side by side with its comparison, and CPU per image per process', () => {
    // Prepare
    const full = report({
      bare: bare(),
      e2e: stackPhase({ imagesPerSecond: 120 }),
      oneClient: stackPhase({ images: 100, concurrency: 1, p50Ms: 20.8, imagesPerSecond: 40 }),
      burst: stackPhase({ images: 1000, concurrency: 100, imagesPerSecond: 96, cpuMsPerImage: undefined }),
      cold,
    });

    // Act
    const lines = renderBenchReport(full).split('\n');

    // Assess
    expect(lines[0]).toMatch(/^section +images +images\/s +p50 ms +p95 ms +compared +errors +agree +right$/);
    expect(lines[1]).toMatch(/^bare \(2 thr, batch 8\) +600 +150\.0 +10\.8 +12\.8 +the limit +0 +100\.0% +85\.5%$/);
    expect(lines[2]).toMatch(/^end to end \(64 in flight\) +600 +120\.0 +900\.0 +1200\.0 +0\.80× bare +0/);
    expect(lines[3]).toMatch(/^one client +100 +40\.0 +20\.8 .* \+10\.0 ms overhead/);
    expect(lines[4]).toMatch(/^burst \(100 in flight\) +1000 +96\.0 .* 0\.80× e2e/);
    expect(lines[5]).toMatch(/^cold \(0 workers → answer\) +1 +1450\.0 +0 +100\.0%/);
    expect(lines).toContainEqual(expect.stringMatching(/^CPU ms per image +bare +end to end +burst$/));
    expect(lines).toContainEqual(expect.stringMatching(/^bare \(this process\) +13\.5$/));
    expect(lines).toContainEqual(expect.stringMatching(/^stack \(web \+ emulator\) +12\.0 +n\/a$/));
    expect(lines).toContainEqual(expect.stringMatching(/^worker 101 +9\.5 +n\/a$/));
    expect(lines).toContainEqual(expect.stringMatching(/^workers \(sum\) +19\.0 +n\/a$/));
    expect(lines).toContainEqual(expect.stringMatching(/^stack \+ workers +31\.0 +n\/a$/));
    expect(lines.at(-1)).toBe('answers: every one 200, about its own image, agreeing with the reference');
  });

  it('shows only the sections that ran, and the failures', () => {
    // Act
    const text = renderBenchReport(report({ e2e: stackPhase({ errors: 2 }) }));

    // Assess
    expect(text).not.toMatch(/^bare/m);
    expect(text).not.toMatch(/burst/);
    expect(text).toMatch(/^end to end \(64 in flight\) +600 +60\.0 +900\.0 +1200\.0 +2 /m);
    expect(text).toContain('FAILED:\n  end to end: 2 not 200');
  });
});
