import { percentile } from '#tools/shared/percentile.js';

describe('percentile', () => {
  it.each([
    ['the median of five', [5, 1, 4, 2, 3], 50, 3],
    ['p95 of ten is the largest', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    ['p0 is the smallest', [3, 1, 2], 0, 1],
  ])('is nearest-rank: %s', (_name, values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});
