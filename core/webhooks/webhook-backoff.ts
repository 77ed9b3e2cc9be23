/** The longest wait between two tries of one delivery: with 16 tries they span about a day. */
export const WEBHOOK_MAX_RETRY_DELAY_SECONDS = 4 * 3600;

/**
 * Seconds a delivery waits after its `receiveCount`-th failed try: `baseSeconds` × 2^(receiveCount−1),
 * capped at four hours. SQS counts the receives, so the back-off survives web-tier restarts.
 */
export function webhookRetryDelaySeconds(receiveCount: number, baseSeconds: number): number {
  const tries = Math.max(1, Math.floor(receiveCount));
  // 2^20 is far past the cap; bounding the exponent keeps the product finite.
  return Math.min(baseSeconds * 2 ** Math.min(tries - 1, 20), WEBHOOK_MAX_RETRY_DELAY_SECONDS);
}
