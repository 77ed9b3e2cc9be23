import type { Request } from 'express';
import { IdempotencyKeys, type IdempotentOutcome } from '#core/idempotency/idempotency-keys.js';
import { idempotencyDigest, type IdempotentJobs } from '#core/idempotency/idempotency-store.js';
import {
  requestFingerprint,
  type FingerprintedFile,
  type RequestOptions,
} from '#core/idempotency/request-fingerprint.js';
import type { CallerResolver } from '../auth/caller.js';
import { IdempotencyKeyInvalidError } from '../errors.js';

/** The `Idempotency-Key` header's name, as documented in Swagger. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The header's key, checked: 1 to 255 visible ASCII characters; undefined when absent. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) throw new IdempotencyKeyInvalidError();
  return header;
}

/** A request's idempotency key, scoped to its caller. */
export interface IdempotencyScope {
  readonly key: string;
  readonly request: Request;
}

/**
 * `Idempotency-Key` on POST /v1/classifications: the same key with the same files and options
 * within 24 h gets the first request's jobs; see core/idempotency. A key belongs to its caller (the
 * API key's digest when keys are on; one caller for everyone when they are off).
 */
export class IdempotentRequests {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly callers: CallerResolver,
  ) {}

  async run(
    scope: IdempotencyScope,
    request: { readonly files: readonly FingerprintedFile[]; readonly options: RequestOptions },
    create: () => Promise<IdempotentJobs>,
  ): Promise<IdempotentOutcome> {
    const caller = this.callers.callerOf(scope.request);
    const digest = idempotencyDigest(caller.kind === 'key' ? `key:${caller.keyDigest}` : 'anyone', scope.key);
    const fingerprint = await requestFingerprint(request.files, request.options);
    return this.keys.run(digest, fingerprint, create);
  }
}
