import * as figures from '#web/ui/client/dashboard-figures.js';

const { gridEndingAt, lastValue, latest, percentile, perSlot, slotTimes, sum, valuesSince } = figures;

describe('the dashboard figures', () => {
  it.each([
    ['none', [], 50, null],
    ['one', [7], 95, 7],
    ['p50 of 1..10 (nearest rank)', [10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 50, 5],
    ['p95 of 1..20', Array.from({ length: 20 }, (_, i) => i + 1), 95, 19],
    ['p100', [3, 1, 2], 100, 3],
  ])('percentile of %s', (_name, values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('reads the newest value, and the values since a time', () => {
    // Prepare
    const points = [
      [1_000, 1],
      [2_000, 2],
      [3_000, 3],
    ] as const;

    // Act
    const figures = [latest(points), latest(undefined), sum(valuesSince(points, 2_000))];

    // Assess
    expect(figures).toEqual([3, undefined, 5]);
  });

  it('puts each point in its slot: gauges keep the last value, gaps where a slot has none, counts 0', () => {
    // Prepare: three 2-s slots ending with the one that holds 10 s.
    const grid = gridEndingAt(10_500, 6_000, 2_000);
    const points = [
      [6_100, 4],
      [6_900, 5],
      [10_400, 1],
      [1_000, 99],
    ] as const;

    // Act
    const gauge = perSlot(points, grid, lastValue);
    const counts = perSlot(points, grid, sum, 0);

    // Assess
    expect(slotTimes(grid)).toEqual([6, 8, 10]);
    expect(gauge).toEqual([5, null, 1]);
    expect(counts).toEqual([9, 0, 1]);
  });
});
