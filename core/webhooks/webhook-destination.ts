import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { UnresolvableWebhookHostError, WebhookDestinationError } from './errors.js';

/** Which webhook destinations are allowed besides public `https` ones (see webhook-config.ts). */
export interface WebhookDestinationPolicy {
  /** `http` (and loopback addresses) allowed when the host resolves to loopback only: the local stack. */
  readonly allowHttpLoopback: boolean;
  /** Private, loopback, link-local, CGNAT and unique-local addresses allowed (never the metadata service). */
  readonly allowPrivate: boolean;
}

/** One resolved address of a destination, as `dns.lookup` gives it. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has (`dns.promises.lookup` with `all`). */
export type HostResolver = (host: string) => Promise<readonly ResolvedAddress[]>;

/** A destination that passed the policy: the URL and the addresses checked, to connect to. */
export interface CheckedDestination {
  readonly url: URL;
  readonly addresses: readonly ResolvedAddress[];
}

const MAX_URL_LENGTH = 2048;
// Ranges a private destination may use; the rest of the non-unicast ranges are never deliverable.
const PRIVATE_RANGES = new Set(['private', 'loopback', 'linkLocal', 'carrierGradeNat', 'uniqueLocal']);
// Instance metadata (EC2, OpenStack) hands out credentials: refused even when private ranges are allowed.
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);

const systemResolver: HostResolver = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/**
 * Checks a webhook URL against the destination policy after resolving its host (a name that
 * resolves to 10.0.0.1 is refused like the literal). Returns the parsed URL; throws a
 * {@link WebhookDestinationError} saying why it is refused.
 */
export async function checkWebhookDestination(
  url: string,
  policy: WebhookDestinationPolicy,
  resolve: HostResolver = systemResolver,
): Promise<URL> {
  return (await resolveWebhookDestination(url, policy, resolve)).url;
}

/** {@link checkWebhookDestination}, also returning the checked addresses so a delivery connects only to them. */
export async function resolveWebhookDestination(
  url: string,
  policy: WebhookDestinationPolicy,
  resolve: HostResolver = systemResolver,
): Promise<CheckedDestination> {
  const parsed = parseDestination(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await resolveHost(host, resolve);
  const loopbackOnly = addresses.every(({ address }) => rangeOf(address) === 'loopback');
  const httpAllowed = policy.allowHttpLoopback && loopbackOnly;
  if (parsed.protocol === 'http:' && !httpAllowed) {
    throw new WebhookDestinationError(
      `webhook ${parsed.origin}: http is allowed only to loopback, with GLIMPSE_WEBHOOK_ALLOW_HTTP_LOOPBACK=true; use https`,
    );
  }
  for (const { address } of addresses) {
    const refusal = refusalOf(address, policy);
    if (refusal) {
      throw new WebhookDestinationError(`webhook ${parsed.origin}: ${host} resolves to ${address}, ${refusal}`);
    }
  }
  return { url: parsed, addresses };
}

function parseDestination(url: string): URL {
  if (url.length > MAX_URL_LENGTH) {
    throw new WebhookDestinationError(`webhook URL longer than ${MAX_URL_LENGTH} characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new WebhookDestinationError('webhook is not a valid absolute URL', { cause: error });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new WebhookDestinationError(`webhook scheme ${parsed.protocol} is not supported; use https`);
  }
  return parsed;
}

async function resolveHost(host: string, resolve: HostResolver): Promise<readonly ResolvedAddress[]> {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family: family === 6 ? 6 : 4 }];
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    throw new UnresolvableWebhookHostError(`webhook host ${host} does not resolve`, { cause: error });
  }
  if (addresses.length === 0) throw new UnresolvableWebhookHostError(`webhook host ${host} has no address`);
  return addresses;
}

/** The address's range per ipaddr.js; IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 it maps. */
function rangeOf(address: string): string {
  return ipaddr.process(address).range();
}

/** Why an address is refused under the policy, or undefined when it is allowed. */
function refusalOf(address: string, policy: WebhookDestinationPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const range = rangeOf(address);
  if (range === 'unicast') return undefined;
  if (METADATA_ADDRESSES.has(ipaddr.process(address).toString())) {
    return 'the instance metadata service, which is never a webhook destination';
  }
  if (range === 'loopback' && policy.allowHttpLoopback) return undefined;
  if (PRIVATE_RANGES.has(range)) {
    return policy.allowPrivate ? undefined : `a ${range} address (set GLIMPSE_WEBHOOK_ALLOW_PRIVATE=true to allow)`;
  }
  return `a ${range} address, which is never a webhook destination`;
}
