import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { describeError } from '#core/errors.js';
import { errorAnswer } from './error-answer.js';

/**
 * Answers every failed request as Nest answers its own HTTP exceptions, `{ statusCode, error,
 * message }`, plus the request id (also in `X-Request-Id`), a WebError's details (the CSE546
 * route's job id, the jobs a 503 did queue) and headers (`Retry-After`, `WWW-Authenticate`).
 * Server-side failures are logged with their full detail; the body names none of it.
 */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  constructor(@InjectPinoLogger(WebErrorFilter.name) private readonly logger: PinoLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, message, details, headers } = errorAnswer(error);
    if (status >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.warn({ error: describeError(error), status }, 'request failed');
    }
    // Too late for an answer of our own: end what was started.
    if (response.headersSent) return void response.end();
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    // A refusal before the body was read (an upload over the limits): close the connection after
    // answering rather than let Node read and discard the rest of the body.
    if (!request.complete) response.setHeader('Connection', 'close');
    const requestId = (request as { id?: unknown }).id;
    response.status(status).json({
      statusCode: status,
      error: STATUS_CODES[status],
      message,
      ...details,
      ...(requestId === undefined ? {} : { requestId: String(requestId) }),
    });
  }
}
