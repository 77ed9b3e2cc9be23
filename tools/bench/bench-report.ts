import type { BareFigures } from './bare.js';
import type { BenchOptions } from './bench-options.js';
import type { Machine } from '../shared/machine.js';
import type { ProfileFile } from './profile.js';
import type { ColdFigures, StackPhase } from './stack-phases.js';
import { failed, ratio, type AnswerCheck } from './summary.js';

/** What each section measured (a skipped section is absent). */
export interface Sections {
  readonly bare?: BareFigures;
  readonly e2e?: StackPhase;
  readonly oneClient?: StackPhase;
  readonly burst?: StackPhase;
  readonly cold?: ColdFigures;
}

/** The figures that compare sections. */
export interface Comparisons {
  /** End-to-end images/s over the fastest bare images/s. */
  readonly e2eToBare?: number;
  /** Burst images/s over end-to-end images/s. */
  readonly burstToE2e?: number;
  /** One client's p50 minus the bare batch-1 p50: what the pipeline adds to one image. */
  readonly oneClientOverheadMs?: number;
}

/** Everything a run found: the JSON file holds it whole, the table shows it. */
export interface BenchReport extends Sections {
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly comparisons: Comparisons;
  readonly profiles: readonly ProfileFile[];
  /** One line per section whose answers were not all 200, about their own image and agreeing with the reference. */
  readonly failures: readonly string[];
  readonly ok: boolean;
}

export function compareSections({ bare, e2e, oneClient, burst }: Sections): Comparisons {
  return {
    e2eToBare: ratio(e2e?.imagesPerSecond, bare?.fastest.imagesPerSecond),
    burstToE2e: ratio(burst?.imagesPerSecond, e2e?.imagesPerSecond),
    oneClientOverheadMs: oneClient && bare ? oneClient.p50Ms - bare.quickest.latency.p50Ms : undefined,
  };
}

/** A line for each section whose answers fail the run. */
export function findFailures(sections: Sections): string[] {
  const checks: Array<[string, AnswerCheck | undefined]> = [
    ...(sections.bare?.runs ?? []).map((run): [string, AnswerCheck] => [`bare (${run.intraOpThreads} threads)`, run]),
    ['end to end', sections.e2e],
    ['one client', sections.oneClient],
    ['burst', sections.burst],
    ['cold', sections.cold],
  ];
  return checks
    .filter((entry): entry is [string, AnswerCheck] => entry[1] !== undefined && failed(entry[1]))
    .map(([name, check]) => `${name}: ${describeFailure(check)}`);
}

function describeFailure(check: AnswerCheck): string {
  const statuses = Object.entries(check.errorStatuses).map(
    ([status, count]) => `${status === '0' ? 'none' : status} ×${count}`,
  );
  const disagreeing = check.disagreements.slice(0, 5).join(', ');
  return [
    `${check.errors} not 200${statuses.length ? ` (${statuses.join(', ')})` : ''}`,
    `${check.misnamed} about another image`,
    `${check.disagreements.length} disagreeing with the reference${disagreeing ? ` (${disagreeing})` : ''}`,
    ...(check.firstError ? [`first error: ${check.firstError.slice(0, 160)}`] : []),
  ].join(', ');
}

export function assembleReport(
  run: Pick<BenchReport, 'startedAt' | 'machine' | 'options' | 'profiles'>,
  sections: Sections,
): BenchReport {
  const failures = findFailures(sections);
  return { ...run, ...sections, comparisons: compareSections(sections), failures, ok: failures.length === 0 };
}
