import type { ClassificationItem } from '#core/contracts/classification-item.js';
import { isFinished, type Sighting, type UploadRecord } from './upload-flows.js';

/**
 * How an upload ended, each upload exactly one:
 * - answered: its own image, done, agreeing with the reference prediction (or no reference for it);
 * - wrong: its own image, but failed, or done with another class than the reference's;
 * - misrouted: an answer that names another image;
 * - lost: no finished answer within the wait (still queued, or no answer at all);
 * - rejected: an HTTP status other than 200/202 that ended it (4xx, or 5xx outside a restart).
 */
export const OUTCOMES = ['answered', 'wrong', 'misrouted', 'lost', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The reference top-1 class index of an image for the model that answered; undefined where none is known. */
export type ReferenceOf = (filename: string, model: string | undefined) => number | undefined;

export function outcomeOf(record: UploadRecord, referenceOf: ReferenceOf): Outcome {
  const { answer } = record;
  if (!answer) return record.refusal ? 'rejected' : 'lost';
  if (answer.filename !== record.filename) return 'misrouted';
  if (answer.status !== 'done') return 'wrong';
  const reference = referenceOf(record.filename, answer.model);
  return reference === undefined || reference === answer.result?.index ? 'answered' : 'wrong';
}

/**
 * Job ids seen more than once in a way exactly-once forbids: named by two uploads, or finished
 * with two different results (the upload's answer, a poll and the check after the burst compared).
 */
export function duplicatedJobs(sightings: readonly Sighting[]): string[] {
  const uploads = new Map<string, Set<number>>();
  const results = new Map<string, Set<string>>();
  for (const { upload, item } of sightings) {
    add(uploads, item.id, upload);
    if (isFinished(item)) add(results, item.id, resultOf(item));
  }
  return [...uploads.keys()].filter((id) => uploads.get(id)!.size > 1 || (results.get(id)?.size ?? 0) > 1);
}

/** Lost uploads whose job the check after the burst found finished: answered, but too late. */
export function finishedLate(records: readonly UploadRecord[], sightings: readonly Sighting[]): number {
  const checkedFinished = new Set(
    sightings.filter((s) => s.via === 'check' && isFinished(s.item)).map((s) => s.item.id),
  );
  return records.filter((r) => !r.answer && r.jobId !== undefined && checkedFinished.has(r.jobId)).length;
}

/** What a finished job's result is, comparably: its status, and the classes and confidences or the failure. */
function resultOf(item: ClassificationItem): string {
  const scores = (item.result?.top5 ?? []).map(({ index, confidence }) => [index, confidence]);
  return JSON.stringify([item.status, item.result?.index, item.result?.confidence, scores, item.error?.code]);
}

function add<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const set = map.get(key) ?? new Set<T>();
  set.add(value);
  map.set(key, set);
}
