import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookDeliveryError } from './errors.js';
import type { CheckedDestination, ResolvedAddress } from './webhook-destination.js';

/** How long a receiver has to answer a delivery. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** One signed POST to make. */
export interface SignedPost {
  readonly destination: CheckedDestination;
  /** The Standard Webhooks `webhook-id` (the same on every try). */
  readonly id: string;
  /** The JSON body, signed as sent. */
  readonly body: string;
  readonly secret: string;
  readonly now?: Date;
  readonly timeoutMs?: number;
}

/**
 * POSTs a body signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`),
 * connecting only to the addresses checked against the policy (a DNS answer that changed since the
 * check cannot redirect it). Resolves to the receiver's status; a 2xx ends the delivery, anything
 * else is the caller's to retry. Throws {@link WebhookDeliveryError} when no answer came in time.
 */
export async function postSignedWebhook(post: SignedPost): Promise<number> {
  const now = post.now ?? new Date();
  const signature = new Webhook(post.secret).sign(post.id, now, post.body);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(post.body)),
    'user-agent': 'Glimpse-Webhooks/1',
    'webhook-id': post.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  };
  const { url, addresses } = post.destination;
  const client = url.protocol === 'https:' ? https : http;
  const signal = AbortSignal.timeout(post.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  return new Promise<number>((resolve, reject) => {
    const request = client.request(url, { method: 'POST', headers, signal, lookup: pinnedLookup(addresses) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (error) =>
        reject(new WebhookDeliveryError('the answer broke off', res.statusCode, { cause: error })),
      );
    });
    request.on('error', (error) =>
      reject(new WebhookDeliveryError(`no answer from ${url.origin}`, undefined, { cause: error })),
    );
    request.end(post.body);
  });
}

/** A `lookup` that answers with the checked addresses instead of asking DNS again. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) {
      callback(
        null,
        addresses.map(({ address, family }) => ({ address, family })),
      );
      return;
    }
    const [first] = addresses;
    callback(null, first!.address, first!.family);
  };
}
