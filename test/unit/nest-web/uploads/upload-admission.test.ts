import { RequestTooLargeError, UploadsInFlightFullError } from '#web/errors.js';
import { declaredContentLength, UploadAdmission, UPLOAD_RETRY_AFTER_SECONDS } from '#web/uploads/upload-admission.js';

const MiB = 1024 * 1024;
const admission = () => new UploadAdmission({ maxRequestBytes: 64 * MiB, maxUploadBytesInFlight: 256 * MiB });

describe('UploadAdmission', () => {
  it.each([
    ['a request within both caps is admitted and holds its Content-Length', [10 * MiB], 10 * MiB],
    ['a request at exactly the request cap is admitted', [64 * MiB], 64 * MiB],
    ['a body of unknown length (chunked) holds the request cap, the most it may carry', [undefined], 64 * MiB],
    ['four requests at the cap fill the budget exactly', [64 * MiB, 64 * MiB, 64 * MiB, 64 * MiB], 256 * MiB],
  ])('%s', (_story, declared, expectedInFlight) => {
    // Prepare
    const uploads = admission();

    // Act
    for (const bytes of declared) uploads.admit(bytes);

    // Assess
    expect(uploads.bytesInFlight).toBe(expectedInFlight);
  });

  it('refuses a Content-Length over the request cap with 413 before reserving anything', () => {
    // Prepare
    const uploads = admission();

    // Act
    const refusal = (() => {
      try {
        uploads.admit(60 * 9.9 * MiB);
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(refusal).toBeInstanceOf(RequestTooLargeError);
    expect((refusal as RequestTooLargeError).httpStatus).toBe(413);
    expect(uploads.bytesInFlight).toBe(0);
  });

  it('refuses with 503 and Retry-After when the bytes in flight would pass the budget', () => {
    // Prepare
    const uploads = admission();
    for (let i = 0; i < 4; i++) uploads.admit(60 * MiB);

    // Act
    const refusal = (() => {
      try {
        uploads.admit(17 * MiB);
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(refusal).toBeInstanceOf(UploadsInFlightFullError);
    expect((refusal as UploadsInFlightFullError).httpStatus).toBe(503);
    expect((refusal as UploadsInFlightFullError).headers).toEqual({
      'Retry-After': String(UPLOAD_RETRY_AFTER_SECONDS),
    });
    expect(uploads.bytesInFlight).toBe(240 * MiB);
  });

  it('gives the bytes back on release, once however often it is released', () => {
    // Prepare
    const uploads = admission();
    const first = uploads.admit(64 * MiB);
    for (let i = 0; i < 3; i++) uploads.admit(60 * MiB);

    // Act
    first.release();
    first.release();

    // Assess
    expect(uploads.bytesInFlight).toBe(180 * MiB);
    expect(() => uploads.admit(64 * MiB)).not.toThrow();
    expect(() => uploads.admit(64 * MiB)).toThrow(UploadsInFlightFullError);
  });
});

describe('declaredContentLength', () => {
  it.each([
    ['a Content-Length', { 'content-length': '1234' }, 1234],
    ['none (chunked)', {}, undefined],
    ['a malformed one', { 'content-length': '12abc' }, undefined],
    ['a negative one', { 'content-length': '-5' }, undefined],
  ])('reads %s', (_name, headers, expected) => {
    expect(declaredContentLength(headers)).toBe(expected);
  });
});
