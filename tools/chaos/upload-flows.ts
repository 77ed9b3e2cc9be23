import { setTimeout as delay } from 'node:timers/promises';
import type { ClassificationItem } from '#core/contracts/classification-item.js';
import type { ImageEntry } from '../shared/workload.js';
import type { Reply } from './upload-client.js';

/** A view of a job the client got, and how: the upload's own answer, a poll, or the check after the burst. */
export interface Sighting {
  /** The upload whose job it is (its number in the burst). */
  readonly upload: number;
  readonly item: ClassificationItem;
  readonly via: 'upload' | 'poll' | 'check';
}

/** What the client saw of one upload. */
export interface UploadRecord {
  readonly upload: number;
  readonly filename: string;
  /** When it was first sent, in ms since the burst began. */
  readonly sentAtMs: number;
  /** The id of its job, once an answer named one. */
  readonly jobId?: string;
  /** The first finished (done or failed) view of its job within the wait. */
  readonly answer?: ClassificationItem;
  /** Milliseconds from the first send to the answer. */
  readonly ms?: number;
  /** An HTTP answer that refused the upload for good. */
  readonly refusal?: { readonly status: number; readonly text: string };
  /** The last connection failure or retried status, when it ended with no answer. */
  readonly error?: string;
  /** Sends: more than one when a stack restart refused or cut off the earlier ones. */
  readonly sends: number;
}

/** The web tier, as the flows reach it (upload-client.ts; a fake in the unit tests). */
export interface WebClient {
  submit(filename: string, bytes: Uint8Array, waitSeconds: number): Promise<Reply>;
  read(jobId: string): Promise<Reply>;
}

export interface FlowContext {
  readonly client: WebClient;
  /** Seconds from an upload's first send to its answer, past which it is lost. */
  readonly waitSeconds: number;
  /** Milliseconds between two polls of a job, and between two sends refused by a stopped stack. */
  readonly pollMs: number;
  /** Milliseconds since the burst began. */
  readonly now: () => number;
  /** Told of each upload's first send (a restart may wait for the N-th). */
  readonly onFirstSend: () => void;
  readonly sight: (sighting: Sighting) => void;
}

/** Statuses of a stack that is stopping or starting: a restart may answer them, so they are retried. */
const RETRIED_STATUSES = new Set([502, 503, 504]);

export const isFinished = (item: ClassificationItem) => item.status !== 'queued';

/**
 * The waiting protocol (no restart): one `POST ?wait=W`. A 200 is the answer; a 202 names a job
 * still queued at the end of the wait (lost); a dropped connection leaves no job id (lost).
 */
export async function uploadAndWait(
  ctx: FlowContext,
  upload: number,
  [filename, bytes]: ImageEntry,
): Promise<UploadRecord> {
  const base = { upload, filename, sentAtMs: ctx.now(), sends: 1 };
  ctx.onFirstSend();
  const started = performance.now();
  const reply = await ctx.client.submit(filename, bytes, ctx.waitSeconds);
  if (reply.kind === 'no-answer') return { ...base, error: reply.error } satisfies UploadRecord;
  if (!reply.item || (reply.status !== 200 && reply.status !== 202))
    return { ...base, refusal: { status: reply.status, text: reply.text } } satisfies UploadRecord;
  ctx.sight({ upload, item: reply.item, via: 'upload' });
  const answer = isFinished(reply.item) ? { answer: reply.item, ms: performance.now() - started } : {};
  return { ...base, jobId: reply.item.id, ...answer } satisfies UploadRecord;
}

/**
 * The polling protocol (a restart midway): `POST ?wait=0`, sent again while the stack refuses it
 * or drops it (it is down), then `GET /v1/classifications/:id` until the job is finished, through
 * the restart, all within W seconds of the first send.
 */
export async function uploadAndPoll(
  ctx: FlowContext,
  upload: number,
  [filename, bytes]: ImageEntry,
): Promise<UploadRecord> {
  const [started, sentAtMs] = [performance.now(), ctx.now()];
  const deadline = started + ctx.waitSeconds * 1000;
  const submitted = await submitUntilAccepted(ctx, filename, bytes, deadline);
  const base = { upload, filename, sentAtMs, sends: submitted.sends };
  if (!submitted.item) return { ...base, ...submitted.failure } satisfies UploadRecord;
  ctx.sight({ upload, item: submitted.item, via: 'upload' });
  let item = submitted.item;
  let error: string | undefined;
  while (!isFinished(item)) {
    if (performance.now() + ctx.pollMs > deadline) return { ...base, jobId: item.id, error } satisfies UploadRecord;
    await delay(ctx.pollMs);
    const reply = await ctx.client.read(item.id);
    if (reply.kind === 'answer' && reply.status === 200 && reply.item) item = reply.item;
    else error = reply.kind === 'answer' ? `HTTP ${reply.status}: ${reply.text}` : reply.error;
  }
  if (item !== submitted.item) ctx.sight({ upload, item, via: 'poll' });
  return { ...base, jobId: item.id, answer: item, ms: performance.now() - started } satisfies UploadRecord;
}

type Submitted =
  | { readonly sends: number; readonly item: ClassificationItem }
  | { readonly sends: number; readonly item?: undefined; readonly failure: Pick<UploadRecord, 'refusal' | 'error'> };

async function submitUntilAccepted(
  ctx: FlowContext,
  filename: string,
  bytes: Uint8Array,
  deadline: number,
): Promise<Submitted> {
  for (let sends = 1; ; sends++) {
    if (sends === 1) ctx.onFirstSend();
    const reply = await ctx.client.submit(filename, bytes, 0);
    if (reply.kind === 'answer' && reply.item && (reply.status === 200 || reply.status === 202))
      return { sends, item: reply.item };
    if (reply.kind === 'answer' && !RETRIED_STATUSES.has(reply.status))
      return { sends, failure: { refusal: { status: reply.status, text: reply.text } } };
    const error = reply.kind === 'answer' ? `HTTP ${reply.status}: ${reply.text}` : reply.error;
    if (performance.now() + ctx.pollMs > deadline) return { sends, failure: { error } };
    await delay(ctx.pollMs);
  }
}
