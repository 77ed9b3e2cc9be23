import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { normalizeIp } from '../rate-limits/throttler.js';
import { ApiKeyDigests } from './api-key-digests.js';
import { presentedKey } from './presented-key.js';

/** Who a request comes from, for the access check and the rate limits. */
export type Caller =
  /** It presented an accepted key: known by the key's digest. */
  | { readonly kind: 'key'; readonly keyDigest: string }
  /** No accepted key (none, or a wrong one): known by its client address. */
  | { readonly kind: 'address'; readonly address: string; readonly presentedKey: boolean };

/** Hex characters of a key's digest that logs carry: enough to tell keys apart, never the key. */
const KEY_ID_LENGTH = 8;

const known = new WeakMap<object, Caller>();

/** Works out each request's {@link Caller} once (one hash of the presented key), for every guard that asks. */
@Injectable()
export class CallerResolver {
  constructor(private readonly digests: ApiKeyDigests) {}

  /** Whether any API key is configured. */
  get keysConfigured(): boolean {
    return this.digests.configured;
  }

  callerOf(request: Request): Caller {
    let caller = known.get(request);
    if (!caller) {
      caller = this.identify(request);
      known.set(request, caller);
    }
    return caller;
  }

  private identify(request: Request): Caller {
    const key = presentedKey(request.headers);
    const keyDigest = key !== undefined && this.digests.configured ? this.digests.match(key) : undefined;
    if (keyDigest) return { kind: 'key', keyDigest };
    // Express's request.ip follows `trust proxy` (GLIMPSE_TRUST_PROXY); a socket gone has no address.
    return { kind: 'address', address: request.ip ?? 'unknown', presentedKey: key !== undefined };
  }
}

/** The rate limits' identity of a caller: its key's digest, else its address (an IPv6 one by its /64). */
export function trackerOf(caller: Caller): string {
  return caller.kind === 'key' ? `key:${caller.keyDigest}` : `address:${normalizeIp(caller.address)}`;
}

/** Log fields naming the key a request was served under: a short prefix of its digest, never the key. */
export function callerLogFields(request: object): { keyId?: string } {
  const caller = known.get(request);
  return caller?.kind === 'key' ? { keyId: caller.keyDigest.slice(0, KEY_ID_LENGTH) } : {};
}
