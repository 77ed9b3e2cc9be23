import { HttpStatus } from '@nestjs/common';
import { classificationUrl } from '#core/contracts/classification-item.js';
import type { Failure } from '#core/contracts/result-record.js';
import { describeError, GlimpseError } from '#core/errors.js';

export interface WebErrorOptions extends ErrorOptions {
  /** Fields the JSON error body carries besides `statusCode`, `error` and `message`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The base of every error the web tier answers a client with. Services throw these and know no
 * HTTP; WebErrorFilter writes `{ statusCode, error, message, ...details }` with `httpStatus`.
 */
export class WebError extends GlimpseError {
  readonly httpStatus: HttpStatus = HttpStatus.INTERNAL_SERVER_ERROR;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: WebErrorOptions = {}) {
    super(message, options);
    this.details = options.details ?? {};
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

/** A `?wait=` above the configured maximum. */
export class WaitTooLongError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_REQUEST;
  constructor(maxWaitSeconds: number) {
    super(`wait must be at most ${maxWaitSeconds} seconds`);
  }
}

/** Neither a result nor an upload is stored under this job id. */
export class JobNotFoundError extends WebError {
  override readonly httpStatus = HttpStatus.NOT_FOUND;
  constructor(jobId: string) {
    super(`no classification ${jobId}`);
  }
}

/** The output bucket holds something under the job id that is no result record. */
export class UnreadableResultError extends WebError {
  override readonly httpStatus = HttpStatus.BAD_GATEWAY;
  constructor(jobId: string, options: ErrorOptions) {
    super(`the stored result of ${jobId} is unreadable`, options);
  }
}

/** The input bucket refused an upload; no job of the request was queued. */
export class UploadNotStoredError extends WebError {
  override readonly httpStatus = HttpStatus.SERVICE_UNAVAILABLE;
  constructor(cause: unknown) {
    super(`could not store the upload: ${describeError(cause)}; nothing was queued`, {
      cause,
      details: { queuedJobIds: [] },
    });
  }
}

/** The request queue refused some jobs; the others are queued and will be done (poll them by id). */
export class JobsNotQueuedError extends WebError {
  override readonly httpStatus = HttpStatus.SERVICE_UNAVAILABLE;
  constructor(
    readonly queuedJobIds: readonly string[],
    cause: Error,
  ) {
    super(`could not queue every job: ${describeError(cause)}`, { cause, details: { queuedJobIds } });
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
    super(failure.message, { details: { code: failure.code, jobId } });
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
  constructor(queue: 'request' | 'response') {
    super(`the ${queue} queue is not ready yet`);
  }
}
