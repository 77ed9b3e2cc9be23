import { BadRequestException, InternalServerErrorException, type ArgumentsHost } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { silentLogger } from '#core/logging/logger.js';
import {
  ApiKeyRequiredError,
  RequestTooLargeError,
  UploadNotStoredError,
  UploadsInFlightFullError,
  WaitTooLongError,
} from '#web/errors.js';
import { WebErrorFilter } from '#web/http/web-error.filter.js';

/** An SDK failure as S3 throws it: its text names the account and resources, which no answer may. */
const sdkFailure = Object.assign(
  new Error('User: arn:aws:iam::123456789012:role/glimpse-web is not authorized to perform: s3:PutObject'),
  { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
);

/** What the filter writes for `error` on a request whose body was (or was not) read to the end. */
function answerFor(error: unknown, { bodyRead = true, headersSent = false } = {}) {
  const answer = {
    status: 0,
    headers: {} as Record<string, string>,
    body: {} as Record<string, unknown>,
    ended: false,
  };
  const response = {
    headersSent,
    setHeader: (name: string, value: string) => ((answer.headers[name] = value), response),
    status: (status: number) => ((answer.status = status), response),
    json: (body: Record<string, unknown>) => ((answer.body = body), response),
    end: () => ((answer.ended = true), response),
  };
  const request = { complete: bodyRead, id: 'req-7' };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  new WebErrorFilter(new PinoLogger({ pinoHttp: { logger: silentLogger() } })).catch(error, host);
  return answer;
}

describe('WebErrorFilter', () => {
  it('answers a full upload budget with 503 and Retry-After', () => {
    // Act
    const answer = answerFor(new UploadsInFlightFullError(2));

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
    const answer = answerFor(new WaitTooLongError(300));

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers).toEqual({});
  });

  it('answers any other failure with a generic 500 and the request id, naming nothing of it', () => {
    // Act
    const answer = answerFor(sdkFailure);

    // Assess
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: expect.stringMatching(/^internal error/),
      requestId: 'req-7',
    });
  });

  it("answers a WebError wrapping an SDK failure with the WebError's own words, not the cause's", () => {
    // Act
    const answer = answerFor(new UploadNotStoredError(sdkFailure));

    // Assess
    expect(answer.status).toBe(503);
    expect(JSON.stringify(answer.body)).not.toMatch(/arn:|123456789012|AccessDenied|not authorized/);
    expect(answer.body).toMatchObject({
      message: 'could not store the upload; nothing was queued',
      requestId: 'req-7',
    });
  });

  it("keeps Nest's own 4xx messages, and hides a 5xx HTTP exception's", () => {
    // Act
    const badRequest = answerFor(new BadRequestException(['wait: expected a number']));
    const internal = answerFor(new InternalServerErrorException('pool exhausted at db-7.internal'));

    // Assess
    expect(badRequest.body).toMatchObject({ statusCode: 400, message: ['wait: expected a number'] });
    expect(internal.body).toMatchObject({ statusCode: 500, message: expect.stringMatching(/^internal error/) });
  });

  it('answers a missing key with 401 and WWW-Authenticate: Bearer', () => {
    // Act
    const answer = answerFor(new ApiKeyRequiredError(false));

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('only ends a response whose headers are already sent', () => {
    // Act
    const answer = answerFor(sdkFailure, { headersSent: true });

    // Assess
    expect(answer).toMatchObject({ ended: true, status: 0, body: {} });
  });
});
