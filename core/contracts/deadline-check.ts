import { z } from 'zod';
import { GlimpseError } from '../errors.js';

/**
 * A deadline check, on the deadline queue: sent when a job with a deadline is submitted, delayed
 * until the deadline (re-sent while more than SQS's longest delay remains). When it comes due and
 * the job has no ending, the job ends `expired`.
 */
export const deadlineCheckSchema = z.object({
  version: z.literal(1),
  jobId: z.uuid(),
  deadline: z.iso.datetime(),
});
export type DeadlineCheck = z.infer<typeof deadlineCheckSchema>;

/** SQS's longest message delay: a check further from its deadline is re-sent when it comes up. */
export const MAX_CHECK_DELAY_SECONDS = 900;

/** Longest deadline a client may give, seconds (a day, like the idempotency window). */
export const MAX_DEADLINE_SECONDS = 86_400;

/** A deadline queue message that is not a deadline check. */
export class MalformedDeadlineCheckError extends GlimpseError {}

export function parseDeadlineCheck(body: string | undefined): DeadlineCheck {
  try {
    return deadlineCheckSchema.parse(JSON.parse(body ?? ''));
  } catch (error) {
    throw new MalformedDeadlineCheckError('not a deadline check', { cause: error });
  }
}

/** The delay to send a check with: the whole seconds left until the deadline, at most SQS's longest. */
export function checkDelaySeconds(deadline: string, now: number): number {
  const left = Math.ceil((Date.parse(deadline) - now) / 1000);
  return Math.min(MAX_CHECK_DELAY_SECONDS, Math.max(0, left));
}

/** Whether a job with this deadline (none: never) is past it at `now`. */
export function isPastDeadline(deadline: string | undefined, now: number): boolean {
  return deadline !== undefined && Date.parse(deadline) <= now;
}
