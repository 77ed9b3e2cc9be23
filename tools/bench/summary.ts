import { percentile } from '../shared/percentile.js';
import type { AnswerKey } from '../shared/answer-key.js';

/** One classified image, from the bare code or from an upload's answer. */
export interface Outcome {
  readonly filename: string;
  /** HTTP status; 0 for no answer at all; 200 for the bare code. */
  readonly status: number;
  /** The class index the answer names. */
  readonly index?: number;
  /** Whether the answer names the image that was sent. */
  readonly namesOwnImage: boolean;
  readonly ms: number;
  /** What a failed upload came back with. */
  readonly error?: string;
}

/** How the answers of a phase compare with the answer key. */
export interface AnswerCheck {
  readonly answers: number;
  /** Answers with a status other than 200. */
  readonly errors: number;
  /** How many answers came with each status other than 200 (0: no answer at all), and the first one's text. */
  readonly errorStatuses: Readonly<Record<string, number>>;
  readonly firstError?: string;
  /** 200 answers that named another image. */
  readonly misnamed: number;
  /** Answers whose image is in the answer key. */
  readonly checked: number;
  /** Percent of the checked answers whose top-1 equals the reference prediction; undefined with no key. */
  readonly agreementPct?: number;
  /** Percent of the checked answers whose top-1 is the image's true class. */
  readonly accuracyPct?: number;
  /** Images whose answer disagreed with the reference (each once). */
  readonly disagreements: readonly string[];
}

/** Speed of a phase. */
export interface Timing {
  readonly images: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** A measured phase: its speed and its answers. */
export type PhaseFigures = Timing & AnswerCheck;

export function timing(latenciesMs: readonly number[], seconds: number): Timing {
  return {
    images: latenciesMs.length,
    seconds,
    imagesPerSecond: latenciesMs.length / seconds,
    p50Ms: percentile(latenciesMs, 50),
    p95Ms: percentile(latenciesMs, 95),
  };
}

export function checkAnswers(outcomes: readonly Outcome[], key?: AnswerKey): AnswerCheck {
  const answered = outcomes.filter((o) => o.status === 200);
  const checked = answered.filter((o) => key?.has(o.filename));
  const disagreed = checked.filter((o) => o.index !== key!.get(o.filename)!.reference);
  const right = checked.filter((o) => o.index === key!.get(o.filename)!.right);
  const percent = (count: number) => (key && checked.length > 0 ? (100 * count) / checked.length : undefined);
  return {
    answers: outcomes.length,
    errors: outcomes.length - answered.length,
    ...errorsOf(outcomes),
    misnamed: answered.filter((o) => !o.namesOwnImage).length,
    checked: checked.length,
    agreementPct: percent(checked.length - disagreed.length),
    accuracyPct: percent(right.length),
    disagreements: [...new Set(disagreed.map((o) => o.filename))],
  };
}

function errorsOf(outcomes: readonly Outcome[]): Pick<AnswerCheck, 'errorStatuses' | 'firstError'> {
  const failures = outcomes.filter((o) => o.status !== 200);
  const errorStatuses: Record<string, number> = {};
  for (const { status } of failures) errorStatuses[status] = (errorStatuses[status] ?? 0) + 1;
  return { errorStatuses, firstError: failures[0]?.error };
}

export function summarisePhase(outcomes: readonly Outcome[], seconds: number, key?: AnswerKey): PhaseFigures {
  return {
    ...timing(
      outcomes.map((o) => o.ms),
      seconds,
    ),
    ...checkAnswers(outcomes, key),
  };
}

/** Whether a phase fails the run: an answer that was not 200, named another image, or disagreed. */
export function failed(check: AnswerCheck): boolean {
  return check.errors > 0 || check.misnamed > 0 || check.disagreements.length > 0;
}

/** `part / whole`, or undefined when either is missing. */
export function ratio(part: number | undefined, whole: number | undefined): number | undefined {
  return part === undefined || whole === undefined || whole === 0 ? undefined : part / whole;
}
