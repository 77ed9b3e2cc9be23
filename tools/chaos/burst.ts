import type { Logger } from '#core/logging/logger.js';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import type { ImageEntry } from '../shared/workload.js';
import type { ChaosOptions } from './chaos-options.js';
import type { ChaosTarget, Restart } from './chaos-target.js';
import { RestartPlan } from './restart-plan.js';
import { readJob, submitImage } from './upload-client.js';
import { uploadAndPoll, uploadAndWait, type Sighting, type UploadRecord, type WebClient } from './upload-flows.js';
import { WorkerKiller, type Kill } from './worker-killer.js';

/**
 * How the uploads are sent: `wait`, one `POST ?wait=W` each; `poll`, `POST ?wait=0` then polling
 * by job id, used when the stack restarts midway (a request cut off by the restart keeps its job).
 */
export type Protocol = 'wait' | 'poll';

/** Milliseconds between two polls of a job (and between two sends a stopped stack refused). */
const POLL_MS = 500;

/** Everything the client saw during the burst, and what the chaos did. */
export interface BurstRecord {
  readonly protocol: Protocol;
  readonly records: readonly UploadRecord[];
  readonly sightings: readonly Sighting[];
  readonly kills: readonly Kill[];
  readonly skippedKills: number;
  readonly restarts: readonly Restart[];
  readonly seconds: number;
}

export function webClient(url: string): WebClient {
  return {
    submit: (filename, bytes, waitSeconds) => submitImage(url, filename, bytes, waitSeconds),
    read: (jobId) => readJob(url, jobId),
  };
}

/**
 * The uploads, `concurrency` in flight, while a random worker is killed every `killEveryMs` and,
 * if asked, the stack restarts once. Ends when every upload is answered or past its wait, and a
 * restart under way is over; the killer stops with it.
 */
export async function runBurst(
  target: ChaosTarget,
  work: readonly ImageEntry[],
  options: ChaosOptions,
  log: Logger,
): Promise<BurstRecord> {
  const started = performance.now();
  const now = () => performance.now() - started;
  const killer = new WorkerKiller(options.killEveryMs, {
    workerPids: () => target.workerPids(),
    kill: (pid) => process.kill(pid, 'SIGKILL'),
    random: Math.random,
    now,
  });
  const restarts = new RestartPlan(options.restart, async () => {
    await killer.pause();
    try {
      return await target.restart(now);
    } finally {
      killer.resume();
    }
  });
  const protocol: Protocol = options.restart ? 'poll' : 'wait';
  const sightings: Sighting[] = [];
  const context = {
    client: webClient(target.url),
    waitSeconds: options.waitSeconds,
    pollMs: POLL_MS,
    now,
    onFirstSend: () => restarts.countUpload(),
    sight: (sighting: Sighting) => sightings.push(sighting),
  };
  const flow = protocol === 'poll' ? uploadAndPoll : uploadAndWait;
  log.info({ uploads: work.length, concurrency: options.concurrency, protocol }, 'burst started');
  killer.start();
  restarts.start();
  try {
    const records = await mapWithLimit(work, options.concurrency, (entry, n) => flow(context, n, entry));
    const seconds = now() / 1000;
    await killer.stop();
    const done = await restarts.finish();
    return { protocol, records, sightings, kills: killer.kills, skippedKills: killer.skipped, restarts: done, seconds };
  } finally {
    await killer.stop();
    await restarts.finish().catch(() => undefined);
  }
}
