import type { WorkerView } from '../scaling/scaling-types.js';

/** Where workers run: local child processes or EC2 instances, behind one interface. */
export interface Fleet {
  /** Our workers that are pending or running. */
  list(): Promise<WorkerView[]>;
  /**
   * Starts up to `count` workers; returns their ids. `token` makes the call idempotent: the same
   * token never launches twice (EC2 ClientToken).
   */
  launch(count: number, token: string): Promise<string[]>;
  /** Stops these workers (only ever ours). */
  terminate(ids: readonly string[]): Promise<void>;
}
