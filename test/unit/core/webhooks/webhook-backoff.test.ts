import { WEBHOOK_MAX_RETRY_DELAY_SECONDS, webhookRetryDelaySeconds } from '#core/webhooks/webhook-backoff.js';

describe('webhookRetryDelaySeconds', () => {
  it.each([
    ['after the first try: the base', 1, 30],
    ['doubles each try', 2, 60],
    ['the fifth try', 5, 480],
    ['the ninth try, just under the cap', 9, 7680],
    ['capped at four hours from the tenth try', 10, 4 * 3600],
    ['still capped at the fifteenth try', 15, 4 * 3600],
    ['a nonsense receive count counts as the first', 0, 30],
  ])('%s', (_name, receiveCount, expected) => {
    // Act
    const delay = webhookRetryDelaySeconds(receiveCount, 30);
    // Assess
    expect(delay).toBe(expected);
  });

  it('spreads the 16 tries of a delivery over about a day', () => {
    // Act: the waits after tries 1..15 (the 16th failure dead-letters the delivery)
    const total = Array.from({ length: 15 }, (_, n) => webhookRetryDelaySeconds(n + 1, 30)).reduce((a, b) => a + b);
    // Assess
    expect(total / 3600).toBeGreaterThan(20);
    expect(total / 3600).toBeLessThan(32);
    expect(webhookRetryDelaySeconds(1000, 30)).toBe(WEBHOOK_MAX_RETRY_DELAY_SECONDS);
  });
});
