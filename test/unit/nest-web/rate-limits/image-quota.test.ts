import { ImageQuota } from '#web/rate-limits/image-quota.js';

/** A quota of `perMinute` on a clock the test moves. */
function quotaAt(perMinute: number) {
  const clock = { now: 1_000_000 };
  return { quota: new ImageQuota(perMinute, () => clock.now), clock };
}

describe('ImageQuota', () => {
  it('admits images up to the cap within a minute, then refuses a whole request', () => {
    // Prepare
    const { quota } = quotaAt(10);

    // Act
    const decisions = [quota.take('key:a', 4), quota.take('key:a', 6), quota.take('key:a', 1)];

    // Assess
    expect(decisions.map((decision) => decision.admitted)).toEqual([true, true, false]);
  });

  it('counts each caller apart', () => {
    // Prepare
    const { quota } = quotaAt(5);
    quota.take('key:a', 5);

    // Act + Assess
    expect(quota.take('key:b', 5)).toEqual({ admitted: true });
    expect(quota.take('address:127.0.0.1', 5)).toEqual({ admitted: true });
  });

  it('refuses a request that does not fit, counting none of its images', () => {
    // Prepare
    const { quota } = quotaAt(10);
    quota.take('key:a', 7);

    // Act
    const refused = quota.take('key:a', 4);

    // Assess: the refused 4 were not counted, so 3 still fit
    expect(refused.admitted).toBe(false);
    expect(quota.take('key:a', 3)).toEqual({ admitted: true });
  });

  it('says when the oldest images leave the minute and make room, and admits then', () => {
    // Prepare
    const { quota, clock } = quotaAt(10);
    quota.take('key:a', 6);
    clock.now += 20_000;
    quota.take('key:a', 4);
    clock.now += 5_000;

    // Act
    const refused = quota.take('key:a', 5);

    // Assess: the first 6 leave 60 s after they came, 35 s from now
    expect(refused).toEqual({ admitted: false, retryAfterSeconds: 35 });
    clock.now += 34_000;
    expect(quota.take('key:a', 5).admitted).toBe(false);
    clock.now += 1_000;
    expect(quota.take('key:a', 5)).toEqual({ admitted: true });
  });

  it('retries after at least 1 s', () => {
    // Prepare
    const { quota, clock } = quotaAt(2);
    quota.take('key:a', 2);
    clock.now += 59_999;

    // Act + Assess
    expect(quota.take('key:a', 1)).toEqual({ admitted: false, retryAfterSeconds: 1 });
  });

  it('limits nothing with a cap of 0', () => {
    const { quota } = quotaAt(0);
    expect(quota.take('key:a', 1_000_000)).toEqual({ admitted: true });
  });
});
