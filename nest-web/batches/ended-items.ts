import type { ClassificationItem } from '#core/contracts/classification-item.js';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import type { BatchJob } from '#core/storage/batch-store.js';

/** Reads of the output bucket one poll of one batch runs at once. */
const READ_CONCURRENCY = 8;

export interface EndedItemsOptions {
  /** Milliseconds between two polls of the jobs not yet ended. */
  readonly intervalMs: number;
  /** Stops the polling (the client went away). */
  readonly signal: AbortSignal;
}

/**
 * Each job's item once, as soon as a poll finds it ended (`queued` items are never yielded);
 * returns when every job has ended or the signal fires. A poll reads only the jobs still pending,
 * so a batch costs one read per pending job per interval, and nothing once the client leaves.
 */
export async function* endedItems(
  jobs: readonly BatchJob[],
  readItem: (job: BatchJob) => Promise<ClassificationItem>,
  { intervalMs, signal }: EndedItemsOptions,
): AsyncGenerator<ClassificationItem> {
  let pending = [...jobs];
  while (pending.length > 0 && !signal.aborted) {
    const items = await mapWithLimit(pending, READ_CONCURRENCY, readItem);
    for (const item of items) if (item.status !== 'queued' && !signal.aborted) yield item;
    pending = pending.filter((_, index) => items[index]?.status === 'queued');
    if (pending.length > 0) await pause(intervalMs, signal);
  }
}

/** Resolves after `ms`, or at once when the signal fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
