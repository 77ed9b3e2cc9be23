/** What {@link ImageQuota.take} decided. */
export type QuotaDecision =
  { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

interface Taken {
  readonly at: number;
  readonly images: number;
}

/** The window every per-caller limit counts in (requests and images a minute). */
export const MINUTE_MS = 60_000;

/**
 * Images each caller may submit in any sliding minute (`GLIMPSE_IMAGES_PER_MINUTE`), so that one
 * caller cannot run up the fleet's bill. A request's images are admitted together or refused
 * together, before any job is made. Kept in memory, per web process.
 */
export class ImageQuota {
  private readonly taken = new Map<string, Taken[]>();
  private sweptAt = 0;

  constructor(
    /** 0: no limit. */
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts `images` against `tracker`'s minute, or refuses them all with the seconds until they would fit. */
  take(tracker: string, images: number): QuotaDecision {
    if (this.perMinute === 0) return { admitted: true };
    const now = this.now();
    this.sweep(now);
    const recent = this.recent(tracker, now);
    const used = recent.reduce((sum, entry) => sum + entry.images, 0);
    if (used + images <= this.perMinute) {
      recent.push({ at: now, images });
      this.taken.set(tracker, recent);
      return { admitted: true };
    }
    return { admitted: false, retryAfterSeconds: secondsUntilRoom(recent, used + images - this.perMinute, now) };
  }

  private recent(tracker: string, now: number): Taken[] {
    return (this.taken.get(tracker) ?? []).filter((entry) => entry.at > now - MINUTE_MS);
  }

  /** Forgets callers silent for a minute, at most once a minute, so the map holds only recent callers. */
  private sweep(now: number): void {
    if (now - this.sweptAt < MINUTE_MS) return;
    this.sweptAt = now;
    for (const [tracker, entries] of this.taken) {
      if (entries.every((entry) => entry.at <= now - MINUTE_MS)) this.taken.delete(tracker);
    }
  }
}

/** Seconds until the oldest entries, leaving the minute, free `excess` images (at least 1). */
function secondsUntilRoom(entries: readonly Taken[], excess: number, now: number): number {
  let freed = 0;
  for (const entry of entries) {
    freed += entry.images;
    if (freed >= excess) return Math.max(1, Math.ceil((entry.at + MINUTE_MS - now) / 1000));
  }
  // Unreachable while a request holds at most `perMinute` images (the configuration checks it).
  return MINUTE_MS / 1000;
}
