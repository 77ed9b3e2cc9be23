import { retryDelaySeconds } from '#worker/retry-delay.js';

describe('retryDelaySeconds', () => {
  it.each([
    ['first failure: at once', 1, 0],
    ['second receive', 2, 2],
    ['fourth receive', 4, 8],
    ['capped at a minute', 20, 60],
    ['missing count', Number.NaN, 0],
  ])('%s', (_name, count, expected) => expect(retryDelaySeconds(count)).toBe(expected));
});
