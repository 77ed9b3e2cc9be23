import type { ScalingDecision, ScalingInput, WorkerView } from './scaling-types.js';

/** Largest believable per-worker throughput or arrival rate (images/s). */
const ABSURD_RATE = 1_000_000;
/** Below this estimated arrival rate (jobs/s) nothing is arriving. */
const MIN_ARRIVALS_PER_SECOND = 0.01;
/** Largest believable queue count. */
const ABSURD_COUNT = 100_000_000;

/**
 * The scaling decision, as a pure function of its inputs and the clock (observe → decide → act).
 *
 * - Backlog counts visible, in-flight and delayed jobs; pending launches count as capacity, so
 *   consecutive ticks never launch twice for the same work.
 * - With work and no worker, at least one is launched at once (zero to one).
 * - Otherwise the desired count drains the backlog within `targetDrainSeconds` while keeping up
 *   with arrivals, at the measured (or assumed) per-worker throughput, within [min, max].
 * - A launch that would boot after the running workers have drained the work is not made.
 * - Scale-in is left to the workers' idle exit; only stuck workers (no heartbeat for
 *   `stuckAfterSeconds`, or pending far past the boot time) are terminated.
 * - A draining worker (Spot interruption notice) is leaving: it counts as no capacity, so that a
 *   replacement is launched while work remains, and it is never terminated (it exits by itself).
 */
export function decide(input: ScalingInput): ScalingDecision {
  const { policy, now } = input;
  const warnings: string[] = [];
  const count = (name: string, value: number) => sanitizeCount(name, value, warnings);
  const visible = count('visible', input.queue.visible);
  const inFlight = count('inFlight', input.queue.inFlight);
  const delayed = count('delayed', input.queue.delayed);
  const backlog = visible + inFlight + delayed;
  const throughput =
    sanitizeRate('workerImagesPerSecond', input.workerImagesPerSecond, warnings, true) ?? policy.workerImagesPerSecond;
  const arrivals = sanitizeRate('arrivalsPerSecond', input.arrivalsPerSecond, warnings, false) ?? 0;

  const staying = input.workers.filter((worker) => worker.state !== 'draining');
  const stuck = staying.filter((worker) => isStuck(worker, now, policy));
  const healthy = staying.filter((worker) => !stuck.includes(worker));
  const running = healthy.filter((worker) => worker.state === 'running').length;
  const pending = healthy.length - running;
  const capacity = running + pending;
  const terminate = stuck.map((worker) => worker.id);
  const base = { backlog, running, pending, terminate, warnings };
  const stuckNote = terminate.length > 0 ? `; terminating ${terminate.length} stuck` : '';

  // No work, and no worker for an arrival estimate to matter to (it fades but never reaches zero):
  // the next job brings the first worker (zero to one).
  if (backlog === 0 && (arrivals < MIN_ARRIVALS_PER_SECOND || capacity === 0)) {
    const desired = policy.minWorkers;
    const launch = Math.max(0, desired - capacity);
    return {
      ...base,
      desired,
      launch,
      reason: `no work: keep the minimum of ${desired}; idle workers exit on their own${stuckNote}`,
    };
  }

  const forArrivals = arrivals / throughput;
  const forBacklog = backlog / (throughput * policy.targetDrainSeconds);
  const wanted = Math.max(backlog > 0 ? 1 : 0, Math.ceil(forArrivals + forBacklog - 1e-9));
  const desired = clamp(wanted, policy.minWorkers, policy.maxWorkers);

  let launch = Math.max(0, desired - capacity);
  let reason = `backlog ${backlog}, ${arrivals.toFixed(1)}/s arriving, ${throughput.toFixed(1)}/s per worker: want ${desired}`;
  if (wanted > policy.maxWorkers) reason += ` (capped at max ${policy.maxWorkers})`;
  if (launch > 0 && running > 0) {
    // Work left when a new worker would be up, if only the running ones worked on it (pending
    // ones are not counted: they may take as long as the new one).
    const leftAtBoot = backlog + (arrivals - running * throughput) * policy.bootSeconds;
    if (leftAtBoot <= 0) {
      launch = 0;
      reason += `; the running ${running} finish before a new worker boots (${policy.bootSeconds}s)`;
    }
  }
  if (launch > 0) reason += `; have ${capacity}, launching ${launch}`;
  return { ...base, desired, launch, reason: reason + stuckNote };
}

function isStuck(worker: WorkerView, now: number, policy: ScalingInput['policy']): boolean {
  const stuckMs = policy.stuckAfterSeconds * 1000;
  const bootMs = policy.bootSeconds * 1000;
  if (worker.lastHeartbeatAt !== undefined) return now - worker.lastHeartbeatAt > stuckMs;
  // Never heard from: allowed the boot time (three times over while still pending) plus the grace.
  const allowance = worker.state === 'pending' ? 3 * bootMs : bootMs;
  return now - worker.launchedAt > allowance + stuckMs;
}

function sanitizeCount(name: string, value: number, warnings: string[]): number {
  if (Number.isFinite(value) && value >= 0 && value <= ABSURD_COUNT) return Math.floor(value);
  warnings.push(`${name}=${value} is not a believable count; using 0`);
  return 0;
}

function sanitizeRate(
  name: string,
  value: number | undefined,
  warnings: string[],
  positive: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const ok = Number.isFinite(value) && value <= ABSURD_RATE && (positive ? value > 0 : value >= 0);
  if (ok) return value;
  warnings.push(`${name}=${value} is not believable; ignoring it`);
  return undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
