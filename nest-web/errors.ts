import { HttpStatus } from '@nestjs/common';
import { classificationUrl } from '#core/contracts/classification-item.js';
import type { Failure } from '#core/contracts/result-record.js';
import { GlimpseError } from '#core/errors.js';
import { clientFailure } from './http/client-failure.js';

export interface WebErrorOptions extends ErrorOptions {
  /** Fields the JSON error body carries besides `statusCode`, `error` and `message`. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Response headers the answer carries (a 503's `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The base of every error the web tier answers a client with. Services throw these and know no
 * HTTP; WebErrorFilter writes `{ statusCode, error, message, ...details }` with `httpStatus`.
 */
export class WebError extends GlimpseError {
  readonly httpStatus: HttpStatus = HttpStatus.INTERNAL_SERVER_ERROR;
  readonly details: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(message: string, options: WebErrorOptions = {}) {
    super(message, options);
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

/** A request carrying no image file. */
export class NoImageError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor() {
    super('no file uploaded');
  }
}

/** More than one file on the CSE546 route, which classifies exactly one. */
export class ExtraImageError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor() {
    super('send exactly one file (field myfile or inputFile)');
  }
}

/** A file whose magic number names no format the workers decode. */
export class UnsupportedImageError extends WebError {
  override readonly httpStatus = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
  constructor(filename: string, accepted: Iterable<string>) {
    super(`${filename} is not a supported image (accepted: ${[...accepted].join(', ')})`);
  }
}

/** A request body larger than `GLIMPSE_MAX_REQUEST_BYTES`, by its Content-Length or as counted. */
export class RequestTooLargeError extends WebError {
  override readonly httpStatus = HttpStatus.PAYLOAD_TOO_LARGE;
  constructor(maxRequestBytes: number, declaredBytes?: number) {
    const size = declaredBytes === undefined ? 'the files of this request are' : `a body of ${declaredBytes} bytes is`;
    super(`${size} over the request limit of ${maxRequestBytes} bytes; send fewer or smaller files per request`, {
      details: { maxRequestBytes },
    });
  }
}

/** `GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT` reached: this process takes in no more uploads until some finish. */
export class UploadsInFlightFullError extends WebError {
  override readonly httpStatus = HttpStatus.SERVICE_UNAVAILABLE;
  constructor(retryAfterSeconds: number) {
    super(`too many uploads in progress; retry in ${retryAfterSeconds} s`, {
      details: { retryAfterSeconds },
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** An image whose header declares more pixels than `GLIMPSE_MAX_INPUT_PIXELS`: refused before it is stored. */
export class ImageTooLargeError extends WebError {
  override readonly httpStatus = HttpStatus.UNPROCESSABLE_ENTITY;
  constructor(filename: string, size: { readonly width: number; readonly height: number }, maxInputPixels: number) {
    const { width, height } = size;
    super(
      `${filename} declares ${width}x${height} pixels (${width * height}), over the limit of ${maxInputPixels} pixels`,
      { details: { code: 'image_too_large', filename, width, height, maxInputPixels } },
    );
  }
}

/** A `?wait=` above the configured maximum. */
export class WaitTooLongError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor(maxWaitSeconds: number) {
    super(`wait must be at most ${maxWaitSeconds} seconds`);
  }
}

/** A request naming a model this deployment does not serve. */
export class UnknownModelError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor(model: string, served: readonly string[]) {
    super(`no model ${model} is served; served models: ${served.join(', ')}`, { details: { models: served } });
  }
}

/** A request naming one model as a query parameter and another as a form field. */
export class ModelNamedTwiceError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor(query: string, form: string) {
    super(`model is ${query} in the query and ${form} in the form: name it once`);
  }
}

/** A request naming a served model that failed to load or validate; nothing was stored. */
export class UnavailableModelError extends WebError {
  override readonly httpStatus = HttpStatus.UNPROCESSABLE_ENTITY;
  constructor(model: string, reason: string) {
    super(`model ${model} is unavailable: ${reason}`, { details: { code: 'model_unavailable', model, reason } });
  }
}

/** Neither a result nor an upload is stored under this job id. */
export class JobNotFoundError extends WebError {
  override readonly httpStatus = HttpStatus.NOT_FOUND;
  constructor(jobId: string) {
    super(`no classification ${jobId}`);
  }
}

/** No batch is stored under this id (`GET /v1/batches/:id`). */
export class BatchNotFoundError extends WebError {
  override readonly httpStatus = HttpStatus.NOT_FOUND;
  constructor(batchId: string) {
    super(`no batch ${batchId}`);
  }
}

/** The output bucket holds something under the job id that is no result record. */
export class UnreadableResultError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_GATEWAY;
  constructor(jobId: string, options: ErrorOptions) {
    super(`the stored result of ${jobId} is unreadable`, options);
  }
}

/** The input bucket refused an upload; no job of the request was queued. The cause is logged, never answered. */
export class UploadNotStoredError extends WebError {
  override readonly httpStatus = HttpStatus.SERVICE_UNAVAILABLE;
  constructor(cause: unknown) {
    super('could not store the upload; nothing was queued', {
      cause,
      details: { queuedJobIds: [] },
    });
  }
}

/** The request queue refused some jobs; the others are queued and will be done (poll them by id). The cause is logged. */
export class JobsNotQueuedError extends WebError {
  override readonly httpStatus = HttpStatus.SERVICE_UNAVAILABLE;
  constructor(
    readonly queuedJobIds: readonly string[],
    cause: Error,
  ) {
    super('could not queue every job; those in queuedJobIds are queued', { cause, details: { queuedJobIds } });
  }
}

/** No result within the CSE546 route's limit; the job stays queued and readable by id. */
export class ResultTimeoutError extends WebError {
  override readonly httpStatus = HttpStatus.GATEWAY_TIMEOUT;
  constructor(jobId: string, limitSeconds: number) {
    super(`no result for job ${jobId} in time (limit ${limitSeconds} s); it is still queued`, {
      details: { jobId, url: classificationUrl(jobId) },
    });
  }
}

/** The worker could not classify the image (the CSE546 route answers with the reason). */
export class JobFailedError extends WebError {
  override readonly httpStatus = HttpStatus.UNPROCESSABLE_ENTITY;
  constructor(jobId: string, failure: Failure) {
    super(clientFailure(failure).message, { details: { code: failure.code, jobId } });
  }
}

/**
 * Canceling did not complete (storage or queues unreachable, or the webhook not yet requested): the
 * job may be canceled already; the same DELETE again completes it.
 */
export class CancelIncompleteError extends WebError {
  override readonly httpStatus = HttpStatus.SERVICE_UNAVAILABLE;
  constructor(jobId: string, cause: unknown) {
    super(`canceling job ${jobId} did not complete; send the same DELETE again`, {
      cause,
      details: { jobId },
      headers: { 'Retry-After': '1' },
    });
  }
}

/** The job ended without a result: canceled by a client, or expired before a worker started it. */
export class JobEndedEarlyError extends WebError {
  override readonly httpStatus = HttpStatus.CONFLICT;
  constructor(jobId: string, status: 'canceled' | 'expired') {
    super(`job ${jobId} was ${status} before it was classified`, { details: { code: status, jobId } });
  }
}

/** A webhook Glimpse will not POST to (its destination, or webhooks are off); nothing was stored. */
export class WebhookRefusedError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, details: { code: 'webhook_refused' } });
  }
}

/** A cancel of a job that ended already (done, failed or expired): its ending stands. */
export class JobAlreadyEndedError extends WebError {
  override readonly httpStatus = HttpStatus.CONFLICT;
  constructor(jobId: string, status: string) {
    super(`job ${jobId} ended ${status} already; it cannot be canceled`, { details: { jobId, status } });
  }
}

/** The idempotency key was used within its window by a request with other files or options. */
export class IdempotencyKeyReusedError extends WebError {
  override readonly httpStatus = HttpStatus.UNPROCESSABLE_ENTITY;
  constructor() {
    super('this Idempotency-Key was used for a different request (other files or options)', {
      details: { code: 'idempotency_key_reused' },
    });
  }
}

/** An `Idempotency-Key` header that is empty, too long, or holds other than visible ASCII. */
export class IdempotencyKeyInvalidError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor() {
    super('Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
}

/** The first request under this idempotency key is still creating its jobs. */
export class IdempotencyKeyInProgressError extends WebError {
  override readonly httpStatus = HttpStatus.CONFLICT;
  constructor() {
    super('a request with this Idempotency-Key is still being accepted; retry shortly', {
      details: { code: 'idempotency_key_in_progress' },
      headers: { 'Retry-After': '1' },
    });
  }
}

/** This deployment keeps no metrics in memory: they go to CloudWatch. */
export class MetricsElsewhereError extends WebError {
  override readonly httpStatus = HttpStatus.NOT_FOUND;
  constructor() {
    super('metrics are published to CloudWatch on this deployment');
  }
}

/** A queue URL read before the module that resolves it started. */
export class QueueNotReadyError extends WebError {
  constructor(queue: 'request' | 'response' | 'webhook' | 'deadline') {
    super(`the ${queue} queue is not ready yet`);
  }
}

/** A route that asks for an API key, called without an accepted one. */
export class ApiKeyRequiredError extends WebError {
  override readonly httpStatus = HttpStatus.UNAUTHORIZED;
  constructor(presented: boolean) {
    super(
      presented
        ? 'the API key is not valid'
        : 'an API key is required: send Authorization: Bearer <key> or X-Api-Key: <key>',
      // RFC 6750: a refused token is named as such; a missing one only gets the scheme.
      { headers: { 'WWW-Authenticate': presented ? 'Bearer error="invalid_token"' : 'Bearer' } },
    );
  }
}

/** A caller past its requests or images a minute; nothing of the request was done. */
export class RateLimitedError extends WebError {
  override readonly httpStatus = HttpStatus.TOO_MANY_REQUESTS;
  constructor(what: string, retryAfterSeconds: number) {
    super(`${what}; retry in ${retryAfterSeconds} s`, {
      details: { retryAfterSeconds },
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}
