import type { ArgumentsHost } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { silentLogger } from '#core/logging/logger.js';
import { RequestTooLargeError, UploadsInFlightFullError, WaitTooLongError, type WebError } from '#web/errors.js';
import { WebErrorFilter } from '#web/http/web-error.filter.js';

/** What the filter writes for `error` on a request whose body was (or was not) read to the end. */
function answerFor(error: WebError, { bodyRead }: { bodyRead: boolean }) {
  const answer = { status: 0, headers: {} as Record<string, string>, body: {} as Record<string, unknown> };
  const response = {
    setHeader: (name: string, value: string) => ((answer.headers[name] = value), response),
    status: (status: number) => ((answer.status = status), response),
    json: (body: Record<string, unknown>) => ((answer.body = body), response),
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ complete: bodyRead }) }),
  } as unknown as ArgumentsHost;
  new WebErrorFilter(new PinoLogger({ pinoHttp: { logger: silentLogger() } })).catch(error, host);
  return answer;
}

describe('WebErrorFilter', () => {
  it('answers a full upload budget with 503 and Retry-After', () => {
    // Act
    const answer = answerFor(new UploadsInFlightFullError(2), { bodyRead: true });

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('2');
    expect(answer.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', retryAfterSeconds: 2 });
  });

  it('closes the connection after a refusal made before the body was read', () => {
    // Act
    const answer = answerFor(new RequestTooLargeError(64, 600), { bodyRead: false });

    // Assess
    expect(answer.status).toBe(413);
    expect(answer.headers.Connection).toBe('close');
    expect(answer.body.message).toMatch(/a body of 600 bytes is over the request limit of 64 bytes/);
  });

  it('keeps the connection when the body was read', () => {
    // Act
    const answer = answerFor(new WaitTooLongError(300), { bodyRead: true });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers).toEqual({});
  });
});
