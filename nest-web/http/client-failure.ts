import type { Failure, FailureCode } from '#core/contracts/result-record.js';

/**
 * Per failure code, `null` where the worker's message is its own account of the image or the model
 * (shown as it is), or the sentence a client reads instead where the message may carry a
 * server-side error's text (an SDK message naming buckets, roles or accounts). Typed over every
 * code, so a new one cannot reach clients without a decision here.
 */
const CLIENT_MESSAGE: Readonly<Record<FailureCode, string | null>> = {
  undecodable_image: null,
  input_missing: null,
  image_too_large: null,
  model_unavailable: null,
  worker_lost: null,
  not_queued: null,
  retries_exhausted: 'the job failed on every try; the server log has the detail',
};

/** A job's failure as the API answers it. */
export function clientFailure(failure: Failure): Failure {
  const message = CLIENT_MESSAGE[failure.code];
  return message === null ? failure : { code: failure.code, message };
}
