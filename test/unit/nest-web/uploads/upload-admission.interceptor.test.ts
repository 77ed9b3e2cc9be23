import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { NEVER, of, throwError, type Observable } from 'rxjs';
import { UploadsInFlightFullError } from '#web/errors.js';
import { UploadAdmission } from '#web/uploads/upload-admission.js';
import { UploadAdmissionInterceptor } from '#web/uploads/upload-admission.interceptor.js';

/** A request and its response as the interceptor sees them: headers, and a response that closes. */
function exchange(contentLength: number, { alreadyClosed = false } = {}) {
  const request = { headers: { 'content-length': String(contentLength) } };
  const response = Object.assign(new EventEmitter(), { closed: alreadyClosed });
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  const close = () => {
    response.closed = true;
    response.emit('close');
  };
  return { context, close };
}

const handler: CallHandler = { handle: () => of('answer') };

describe('UploadAdmissionInterceptor', () => {
  it.each<[string, () => Observable<unknown>]>([
    ['the handler answers and the response is sent', () => of('answer')],
    ['the handler fails and the error filter answers', () => throwError(() => new Error('refused'))],
    ['the client aborts mid-upload (the handler never answers, the response closes unsent)', () => NEVER],
  ])('releases the bytes in flight when %s', (_story, handle) => {
    // Prepare
    const admission = new UploadAdmission({ maxRequestBytes: 100, maxUploadBytesInFlight: 100 });
    const interceptor = new UploadAdmissionInterceptor(admission);
    const { context, close } = exchange(80);

    // Act
    interceptor.intercept(context, { handle }).subscribe({ error: () => undefined });
    const during = admission.bytesInFlight;
    close();

    // Assess
    expect(during).toBe(80);
    expect(admission.bytesInFlight).toBe(0);
  });

  it('releases at once when the response closed before the interceptor ran', () => {
    // Prepare
    const admission = new UploadAdmission({ maxRequestBytes: 100, maxUploadBytesInFlight: 100 });
    const { context } = exchange(80, { alreadyClosed: true });

    // Act
    void new UploadAdmissionInterceptor(admission).intercept(context, handler);

    // Assess
    expect(admission.bytesInFlight).toBe(0);
  });

  it('refuses before the handler runs when the budget is full, reserving nothing', () => {
    // Prepare
    const admission = new UploadAdmission({ maxRequestBytes: 100, maxUploadBytesInFlight: 100 });
    admission.admit(60);
    const handle = jest.fn(() => of('answer'));

    // Act
    const refusal = (() => {
      try {
        new UploadAdmissionInterceptor(admission).intercept(exchange(50).context, { handle });
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(refusal).toBeInstanceOf(UploadsInFlightFullError);
    expect(handle).not.toHaveBeenCalled();
    expect(admission.bytesInFlight).toBe(60);
  });
});
