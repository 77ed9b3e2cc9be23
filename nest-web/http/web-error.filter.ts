import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { describeError } from '#core/errors.js';
import { WebError } from '../errors.js';

/**
 * Answers a WebError as Nest answers its own HTTP exceptions, `{ statusCode, error, message }`,
 * plus the error's details (the CSE546 route's job id, the jobs a 503 did queue) and headers (a
 * 503's `Retry-After`). Server-side failures are logged; a client's mistakes are not.
 */
@Catch(WebError)
export class WebErrorFilter implements ExceptionFilter<WebError> {
  constructor(@InjectPinoLogger(WebErrorFilter.name) private readonly logger: PinoLogger) {}

  catch(error: WebError, host: ArgumentsHost): void {
    const status = error.httpStatus;
    if (status >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.warn({ error: describeError(error), status }, 'request failed');
    }
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    // A refusal before the body was read (an upload over the limits): close the connection after
    // answering rather than let Node read and discard the rest of the body.
    if (!http.getRequest<Request>().complete) response.setHeader('Connection', 'close');
    response
      .status(status)
      .json({ statusCode: status, error: STATUS_CODES[status], message: error.message, ...error.details });
  }
}
