import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ResultRecord } from '#core/contracts/result-record.js';

interface Pending {
  record?: ResultRecord;
  settle: () => void;
  readonly settled: Promise<void>;
}

/**
 * Hands results from this process's response queue to the requests waiting for them, by job id.
 * A job is registered before it is sent, so no result can arrive unseen; each result is handed
 * over once, and results nobody waits for any more are dropped (they stay in the output bucket).
 */
@Injectable()
export class ResultWaiter implements BeforeApplicationShutdown {
  private readonly pending = new Map<string, Pending>();
  private closing = false;

  /** At shutdown, waiting requests answer at once with what they have (202 / 504 naming their jobs). */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const entry of this.pending.values()) entry.settle();
  }

  /** Registers interest in a job's result. Call before the job is sent. */
  expect(jobId: string): void {
    if (this.pending.has(jobId)) return;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.pending.set(jobId, { settle, settled });
  }

  /** Delivers a result; returns false when nobody is waiting for it (or it was delivered already). */
  deliver(record: ResultRecord): boolean {
    const entry = this.pending.get(record.jobId);
    if (!entry || entry.record) return false;
    entry.record = record;
    entry.settle();
    return true;
  }

  /**
   * Waits until every job has a result, the timeout passes or `signal` aborts; returns the results
   * that came and stops waiting for all of the jobs.
   */
  async waitFor(
    jobIds: readonly string[],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Map<string, ResultRecord>> {
    const entries = jobIds.map((id) => this.pending.get(id)).filter((entry) => entry !== undefined);
    if (this.closing || signal?.aborted) {
      return this.collect(jobIds);
    }
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        Promise.all(entries.map((entry) => entry.settled)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          onAbort = resolve;
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    return this.collect(jobIds);
  }

  private collect(jobIds: readonly string[]): Map<string, ResultRecord> {
    const results = new Map<string, ResultRecord>();
    for (const id of jobIds) {
      const record = this.pending.get(id)?.record;
      if (record) results.set(id, record);
    }
    this.forget(jobIds);
    return results;
  }

  /** Stops waiting for these jobs. */
  forget(jobIds: readonly string[]): void {
    for (const id of jobIds) this.pending.delete(id);
  }

  /** Number of jobs some request is waiting for. */
  get waiting(): number {
    return this.pending.size;
  }
}
