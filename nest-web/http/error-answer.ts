import { HttpException, HttpStatus } from '@nestjs/common';
import { WebError } from '../errors.js';

/** What a client is told of a failed request, besides `statusCode`, `error` and the request id. */
export interface ErrorAnswer {
  readonly status: number;
  readonly message: string | readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Said of any failure the web tier did not describe itself: its detail is in the log, never in the body. */
export const INTERNAL_ERROR_MESSAGE = 'internal error; the request id names it in the server log';

/**
 * The answer to any thrown value. A WebError answers with its own message (Glimpse's words, never
 * a cause's text) and details; Nest's HTTP exceptions below 500 with theirs (a bad id, an unknown
 * multipart field); anything else, SDK errors included, with a generic 500 that names nothing.
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof WebError) {
    return { status: error.httpStatus, message: error.message, details: error.details, headers: error.headers };
  }
  if (error instanceof HttpException && error.getStatus() < HttpStatus.INTERNAL_SERVER_ERROR) {
    return { status: error.getStatus(), message: httpExceptionMessage(error), details: {}, headers: {} };
  }
  const status = error instanceof HttpException ? error.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
  return { status, message: INTERNAL_ERROR_MESSAGE, details: {}, headers: {} };
}

/** Nest's own message of an HTTP exception: a string, or the list a validation failure gives. */
function httpExceptionMessage(error: HttpException): string | readonly string[] {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const { message } = body as { message?: unknown };
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) return message;
  return error.message;
}
