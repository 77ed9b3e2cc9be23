import { compareSections, findFailures } from '#tools/bench/bench-report.js';
import { bare, cold, report, stackPhase } from './report-fixtures.js';

describe('compareSections', () => {
  it('relates end to end to the fastest bare run, burst to end to end, one client to the quickest bare p50', () => {
    // Act
    const comparisons = compareSections({
      bare: bare(),
      e2e: stackPhase({ imagesPerSecond: 120 }),
      oneClient: stackPhase({ p50Ms: 20.8 }),
      burst: stackPhase({ imagesPerSecond: 96 }),
    });

    // Assess
    expect(comparisons.e2eToBare).toBeCloseTo(0.8);
    expect(comparisons.burstToE2e).toBeCloseTo(0.8);
    expect(comparisons.oneClientOverheadMs).toBeCloseTo(10);
  });

  it('leaves a comparison out when a section was skipped', () => {
    expect(compareSections({ e2e: stackPhase(), oneClient: stackPhase() })).toEqual({
      e2eToBare: undefined,
      burstToE2e: undefined,
      oneClientOverheadMs: undefined,
    });
  });
});

describe('findFailures', () => {
  it('is empty when every answer of every section was right', () => {
    expect(findFailures({ bare: bare(), e2e: stackPhase(), burst: stackPhase(), cold })).toEqual([]);
  });

  it('names each failing section with its counts and its disagreeing images', () => {
    // Act
    const failures = findFailures({
      e2e: stackPhase({ disagreements: ['a.JPEG'] }),
      burst: stackPhase({ errors: 3, errorStatuses: { 503: 2, 0: 1 }, firstError: 'the request queue refused' }),
      cold: { ...cold, misnamed: 1 },
    });

    // Assess
    expect(failures).toEqual([
      'end to end: 0 not 200, 0 about another image, 1 disagreeing with the reference (a.JPEG)',
      'burst: 3 not 200 (none ×1, 503 ×2), 0 about another image, 0 disagreeing with the reference, ' +
        'first error: the request queue refused',
      'cold: 0 not 200, 1 about another image, 0 disagreeing with the reference',
    ]);
  });
});

describe('assembleReport', () => {
  it('is ok only without failures', () => {
    expect(report({ e2e: stackPhase() }).ok).toBe(true);
    expect(report({ e2e: stackPhase({ errors: 1 }) }).ok).toBe(false);
  });
});
