import type { WebConfig } from '#core/config/web-config.js';
import { RequestTooLargeError, UploadsInFlightFullError } from '../errors.js';

/** Seconds a client refused for a full upload budget is told to wait (`Retry-After`). */
export const UPLOAD_RETRY_AFTER_SECONDS = 2;

/** A request's share of the upload bytes in flight. Releasing twice is harmless. */
export interface UploadReservation {
  release(): void;
}

/**
 * Decides, before a body is read, whether an upload request may start: its declared size against
 * the request cap, and its bytes against what this process already takes in. The bytes stay
 * reserved until the request ends.
 */
export class UploadAdmission {
  private reserved = 0;

  constructor(private readonly limits: Pick<WebConfig, 'maxRequestBytes' | 'maxUploadBytesInFlight'>) {}

  /** Upload bytes reserved by requests still running. */
  get bytesInFlight(): number {
    return this.reserved;
  }

  /**
   * Reserves the request's Content-Length (a body of unknown length: the request cap, the most it
   * may carry). Throws RequestTooLargeError (413) or UploadsInFlightFullError (503).
   */
  admit(declaredBytes: number | undefined): UploadReservation {
    const { maxRequestBytes, maxUploadBytesInFlight } = this.limits;
    if (declaredBytes !== undefined && declaredBytes > maxRequestBytes) {
      throw new RequestTooLargeError(maxRequestBytes, declaredBytes);
    }
    const bytes = declaredBytes ?? maxRequestBytes;
    if (this.reserved + bytes > maxUploadBytesInFlight) throw new UploadsInFlightFullError(UPLOAD_RETRY_AFTER_SECONDS);
    this.reserved += bytes;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.reserved -= bytes;
      },
    };
  }
}

/** The Content-Length a request declares, or undefined when it sends none (chunked) or a malformed one. */
export function declaredContentLength(headers: { readonly 'content-length'?: string }): number | undefined {
  const value = headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
