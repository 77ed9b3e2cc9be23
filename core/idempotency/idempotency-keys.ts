import { describeError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { IdempotencyRecord, IdempotencyStore, IdempotentJobs } from './idempotency-store.js';

/** How long a key holds its request's jobs: a retry after this is a new request. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/** How long a request waits for a concurrent one under its key to record its jobs. */
const WAIT_FOR_FIRST_MS = 15_000;
const POLL_MS = 100;
/** A claim still without jobs after this was left by a process that stopped mid-request: the key is free again. */
const ABANDONED_CLAIM_MS = 5 * 60 * 1000;

/** What a request under an idempotency key comes to. */
export type IdempotentOutcome =
  /** The first request under the key: `create` ran and its jobs are recorded. */
  | { readonly kind: 'created'; readonly jobs: IdempotentJobs }
  /** A retry of the same request: the jobs the first one created, nothing new. */
  | { readonly kind: 'replayed'; readonly jobs: IdempotentJobs }
  /** Another request (other files or options) used this key within the window. */
  | { readonly kind: 'mismatch' }
  /** The first request under the key is still creating its jobs: try again shortly. */
  | { readonly kind: 'in-progress' };

export interface IdempotencyKeysOptions {
  readonly store: Pick<IdempotencyStore, 'claim' | 'complete' | 'read' | 'release'>;
  readonly log: Logger;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a request at most once per idempotency key (within {@link IDEMPOTENCY_WINDOW_MS}): the first
 * request claims the key and creates its jobs; the same request again gets the same jobs; concurrent
 * ones wait briefly for the first one's ids instead of creating anything.
 */
export class IdempotencyKeys {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: IdempotencyKeysOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async run(digest: string, fingerprint: string, create: () => Promise<IdempotentJobs>): Promise<IdempotentOutcome> {
    const claim: IdempotencyRecord = { version: 1, fingerprint, createdAt: new Date(this.now()).toISOString() };
    if (await this.claimFresh(digest, claim))
      return { kind: 'created', jobs: await this.createAs(digest, claim, create) };
    const waitUntil = this.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const record = await this.options.store.read(digest);
      // Released meanwhile: the first request created nothing; this one may.
      if (!record) return this.run(digest, fingerprint, create);
      if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (record.created) return { kind: 'replayed', jobs: record.created };
      if (this.now() >= waitUntil) return { kind: 'in-progress' };
      await this.sleep(POLL_MS);
    }
  }

  /** Claims the key; a record past the window (or an abandoned claim) is released first: its key is free again. */
  private async claimFresh(digest: string, claim: IdempotencyRecord): Promise<boolean> {
    if (await this.options.store.claim(digest, claim)) return true;
    const existing = await this.options.store.read(digest);
    if (!existing) return false;
    const age = this.now() - Date.parse(existing.createdAt);
    if (age < (existing.created ? IDEMPOTENCY_WINDOW_MS : ABANDONED_CLAIM_MS)) return false;
    await this.options.store.release(digest);
    return this.options.store.claim(digest, claim);
  }

  private async createAs(
    digest: string,
    claim: IdempotencyRecord,
    create: () => Promise<IdempotentJobs>,
  ): Promise<IdempotentJobs> {
    let jobs: IdempotentJobs;
    try {
      jobs = await create();
    } catch (error) {
      // Nothing was created (or what was is answered failed): a retry under the key may try again.
      await this.options.store.release(digest).catch((releaseError: unknown) => {
        this.options.log.warn({ error: describeError(releaseError) }, 'could not release an idempotency key');
      });
      throw error;
    }
    await this.options.store.complete(digest, { ...claim, created: jobs }).catch((error: unknown) => {
      // The jobs are queued and answered; retries under the key get `in-progress` until the window ends.
      this.options.log.error({ error: describeError(error) }, 'could not record the jobs of an idempotency key');
    });
    return jobs;
  }
}
