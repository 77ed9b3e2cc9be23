import type { Machine } from '../shared/machine.js';
import { percentile } from '../shared/percentile.js';
import type { BurstRecord, Protocol } from './burst.js';
import type { ChaosOptions } from './chaos-options.js';
import type { Restart } from './chaos-target.js';
import { duplicatedJobs, finishedLate, outcomeOf, OUTCOMES, type Outcome, type ReferenceOf } from './outcomes.js';
import type { Sighting, UploadRecord } from './upload-flows.js';
import type { Kill } from './worker-killer.js';

/** Latency of the answered uploads, first send to answer. */
export interface Latency {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The counts of a run: each upload has exactly one outcome; `duplicated` counts job ids. */
export type ChaosFigures = Readonly<Record<Outcome, number>> & {
  readonly uploads: number;
  readonly duplicated: number;
  /** Lost uploads whose job id is known (the job exists, unfinished at the end of its wait)… */
  readonly lostWithJob: number;
  /** …and of them, those the check after the burst found finished. */
  readonly finishedLate: number;
  /** Answers compared with a reference prediction (the others had none for their image and model). */
  readonly checked: number;
  /** Uploads sent, repeats included (the polling protocol sends again what a stopped stack refused). */
  readonly sends: number;
  readonly kills: number;
  /** Ticks of the killer that found no live worker. */
  readonly killsSkipped: number;
  readonly restarts: number;
  readonly seconds: number;
  readonly latency: Latency;
};

/** One upload that was not answered right, with what came back. */
export interface Problem {
  readonly upload: number;
  readonly filename: string;
  readonly outcome: Exclude<Outcome, 'answered'>;
  readonly jobId?: string;
  readonly detail: string;
}

/** One upload in the JSON: its outcome, job id, timing and sends. */
export interface UploadLine {
  readonly upload: number;
  readonly filename: string;
  readonly outcome: Outcome;
  readonly jobId?: string;
  /** First send, ms since the burst began (to set beside the kills). */
  readonly sentAtMs: number;
  readonly ms?: number;
  readonly sends: number;
}

/** Everything a run found: `--json FILE` holds it whole, stdout shows its figures. */
export interface ChaosReport {
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: ChaosOptions;
  readonly protocol: Protocol;
  readonly figures: ChaosFigures;
  readonly kills: readonly Kill[];
  readonly restarts: readonly Restart[];
  readonly duplicatedJobs: readonly string[];
  readonly problems: readonly Problem[];
  readonly uploads: readonly UploadLine[];
  /** Every upload answered right and no job duplicated. */
  readonly ok: boolean;
}

export interface ReportInputs {
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: ChaosOptions;
  readonly burst: BurstRecord;
  /** The check after the burst (job-check.ts). */
  readonly checks: readonly Sighting[];
  readonly referenceOf: ReferenceOf;
}

export function assembleChaosReport(inputs: ReportInputs): ChaosReport {
  const { startedAt, machine, options, burst, checks, referenceOf } = inputs;
  const sightings = [...burst.sightings, ...checks];
  const uploads = burst.records.map((record): UploadLine => {
    const { upload, filename, jobId, sentAtMs, ms, sends } = record;
    return { upload, filename, outcome: outcomeOf(record, referenceOf), jobId, sentAtMs, ms, sends };
  });
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, uploads.filter((u) => u.outcome === o).length]));
  const duplicated = duplicatedJobs(sightings);
  const answeredMs = uploads.filter((u) => u.outcome === 'answered').map((u) => u.ms!);
  const figures: ChaosFigures = {
    uploads: uploads.length,
    ...(counts as Record<Outcome, number>),
    duplicated: duplicated.length,
    lostWithJob: uploads.filter((u) => u.outcome === 'lost' && u.jobId !== undefined).length,
    finishedLate: finishedLate(burst.records, sightings),
    checked: burst.records.filter((r) => r.answer && referenceOf(r.filename, r.answer.model) !== undefined).length,
    sends: burst.records.reduce((sum, record) => sum + record.sends, 0),
    kills: burst.kills.length,
    killsSkipped: burst.skippedKills,
    restarts: burst.restarts.length,
    seconds: burst.seconds,
    latency: latencyOf(answeredMs),
  };
  const problems = burst.records.flatMap((record, n): Problem[] => {
    const { outcome } = uploads[n]!;
    if (outcome === 'answered') return [];
    const { upload, filename, jobId } = record;
    return [{ upload, filename, outcome, jobId, detail: problemDetail(record, outcome) }];
  });
  return {
    startedAt,
    machine,
    options,
    protocol: burst.protocol,
    figures,
    kills: burst.kills,
    restarts: burst.restarts,
    duplicatedJobs: duplicated,
    problems,
    uploads,
    ok: figures.answered === figures.uploads && duplicated.length === 0,
  } satisfies ChaosReport;
}

function latencyOf(ms: readonly number[]): Latency {
  return {
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    p99Ms: percentile(ms, 99),
    maxMs: ms.length > 0 ? Math.max(...ms) : NaN,
  };
}

function problemDetail(record: UploadRecord, outcome: Problem['outcome']): string {
  const { answer, refusal, error } = record;
  switch (outcome) {
    case 'misrouted':
      return `answered with ${answer!.filename}`;
    case 'wrong':
      return answer!.status === 'done'
        ? `class ${answer!.result?.index} (${answer!.result?.label}), not the reference's`
        : `failed: ${answer!.error?.code ?? 'no reason'}`;
    case 'rejected':
      return `HTTP ${refusal!.status}: ${refusal!.text}`;
    case 'lost':
      return record.jobId
        ? `job not finished within the wait${error ? ` (last: ${error})` : ''}`
        : `no job id: ${error ?? 'no answer'}`;
  }
}
