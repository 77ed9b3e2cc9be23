import { NUDGE_INTERVAL_MS, throttledNudge } from '#core/scaling/scaler-nudge.js';

describe('throttledNudge', () => {
  it('passes at most one nudge per interval', () => {
    // Prepare
    let now = 0;
    let calls = 0;
    const nudge = throttledNudge(
      () => calls++,
      NUDGE_INTERVAL_MS,
      () => now,
    );

    // Act
    nudge.nudge();
    nudge.nudge();
    now += NUDGE_INTERVAL_MS - 1;
    nudge.nudge();
    now += 1;
    nudge.nudge();

    // Assess
    expect(calls).toBe(2);
  });
});
