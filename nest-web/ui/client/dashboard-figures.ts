/** A metric's points as `GET /v1/metrics` answers them: [epoch ms, value]. */
export type Points = ReadonlyArray<readonly [number, number]>;

/** The newest value of a series, if it has any. */
export function latest(points: Points | undefined): number | undefined {
  return points?.at(-1)?.[1];
}

/** The values of the points at or after `since` (epoch ms). */
export function valuesSince(points: Points | undefined, since: number): number[] {
  return (points ?? []).filter(([at]) => at >= since).map(([, value]) => value);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The nearest-rank percentile `p` (0–100) of the values; `null` for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** Equal time slots over a window: their start times in epoch seconds (uPlot's x values). */
export interface Grid {
  readonly from: number;
  readonly slotMs: number;
  readonly slots: number;
}

export function gridEndingAt(now: number, windowMs: number, slotMs: number): Grid {
  const slots = Math.ceil(windowMs / slotMs);
  return { from: Math.floor(now / slotMs) * slotMs - (slots - 1) * slotMs, slotMs, slots };
}

export function slotTimes(grid: Grid): number[] {
  return Array.from({ length: grid.slots }, (_, slot) => (grid.from + slot * grid.slotMs) / 1000);
}

/**
 * One value per slot: `reduce` over the values of the points that fall in it, `empty` where none do
 * (`null`, a gap, for a gauge or a latency; 0 for a count).
 */
export function perSlot(
  points: Points | undefined,
  grid: Grid,
  reduce: (values: number[]) => number | null,
  empty: number | null = null,
): Array<number | null> {
  const slots: number[][] = Array.from({ length: grid.slots }, () => []);
  for (const [at, value] of points ?? []) {
    const slot = Math.floor((at - grid.from) / grid.slotMs);
    if (slot >= 0 && slot < grid.slots) slots[slot]!.push(value);
  }
  return slots.map((values) => (values.length === 0 ? empty : reduce(values)));
}

/** A gauge's slot value: its last reading there. */
export const lastValue = (values: number[]): number | null => values.at(-1) ?? null;
