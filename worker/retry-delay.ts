/** Back-off before a failed job is offered again: 0 s on the first failure, then 2, 4, 8 … up to 60 s. */
export function retryDelaySeconds(receiveCount: number): number {
  if (!Number.isFinite(receiveCount) || receiveCount <= 1) return 0;
  return Math.min(60, 2 ** (receiveCount - 1));
}
