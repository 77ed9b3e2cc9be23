import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { loadApiKeyDigests } from './api-keys.js';
import { boolVar, optionalIntVar, optionalStringVar, parseEnv, type Env } from './env-schema.js';

/** The web tier's public edge: which callers it serves, and how much of it each one may use. */
export interface EdgeConfig {
  /**
   * SHA-256 digests (lowercase hex) of the accepted API keys; empty: no route asks for a key (the
   * local default). Env `GLIMPSE_API_KEYS` (comma-separated) and/or `GLIMPSE_API_KEYS_FILE` (one a
   * line, `#` comments), read once at start; default none.
   */
  readonly apiKeyDigests: readonly string[];
  /**
   * `POST /` asks for a key too (the CSE546 course clients send none); needs keys configured.
   * Env `GLIMPSE_CSE546_REQUIRES_KEY`; default false.
   */
  readonly cse546RequiresKey: boolean;
  /**
   * Express's `trust proxy`: the proxies whose `X-Forwarded-For` names the client (a hop count, or
   * addresses, CIDRs and `loopback`/`linklocal`/`uniquelocal`). Env `GLIMPSE_TRUST_PROXY`; default
   * none: the client is the socket's peer. The Heat install, behind its nginx, sets `loopback`.
   */
  readonly trustProxy?: number | string;
  /**
   * Requests a minute per API key (per client address for a request without a valid key); 0: no
   * limit. Env `GLIMPSE_REQUESTS_PER_MINUTE`; default 120 when keys are configured, else 0.
   */
  readonly requestsPerMinute: number;
  /**
   * Images a minute per API key (per client address without one), counted over accepted uploads
   * before any job is made; 0: no limit. Env `GLIMPSE_IMAGES_PER_MINUTE`; default 600 when keys are
   * configured, else 0; at least `GLIMPSE_MAX_FILES`.
   */
  readonly imagesPerMinute: number;
}

const DEFAULT_REQUESTS_PER_MINUTE = 120;
const DEFAULT_IMAGES_PER_MINUTE = 600;
const TRUSTED_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One item of Express's `trust proxy` list: a name, an address, or an address with a prefix length. */
function isTrustedProxyItem(item: string): boolean {
  if (TRUSTED_NAMES.has(item)) return true;
  const [address = '', prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const trustProxyVar = optionalStringVar().transform((value, context) => {
  if (value === undefined) return undefined;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const items = value.split(',').map((item) => item.trim());
  if (items.every(isTrustedProxyItem)) return items.join(',');
  context.addIssue({
    code: 'custom',
    message: 'expected a hop count, or addresses, CIDRs, loopback, linklocal or uniquelocal, comma-separated',
  });
  return z.NEVER;
});

export const edgeEnvSchema = z.object({
  GLIMPSE_API_KEYS: optionalStringVar(),
  GLIMPSE_API_KEYS_FILE: optionalStringVar(),
  GLIMPSE_CSE546_REQUIRES_KEY: boolVar(false),
  GLIMPSE_TRUST_PROXY: trustProxyVar,
  GLIMPSE_REQUESTS_PER_MINUTE: optionalIntVar(0, 1_000_000),
  GLIMPSE_IMAGES_PER_MINUTE: optionalIntVar(0, 10_000_000),
});

/** The edge's settings; `maxFilesPerRequest` bounds the image cap (a largest request must fit in a minute). */
export function loadEdgeConfig(env: Env, maxFilesPerRequest: number): EdgeConfig {
  const parsed = parseEnv('web', edgeEnvSchema, env);
  const apiKeyDigests = loadApiKeyDigests({ listed: parsed.GLIMPSE_API_KEYS, file: parsed.GLIMPSE_API_KEYS_FILE });
  const keyed = apiKeyDigests.length > 0;
  const imagesPerMinute = parsed.GLIMPSE_IMAGES_PER_MINUTE ?? (keyed ? DEFAULT_IMAGES_PER_MINUTE : 0);
  const problems = [
    ...(parsed.GLIMPSE_CSE546_REQUIRES_KEY && !keyed
      ? ['GLIMPSE_CSE546_REQUIRES_KEY is set but no API key is configured (GLIMPSE_API_KEYS or GLIMPSE_API_KEYS_FILE)']
      : []),
    ...(imagesPerMinute > 0 && imagesPerMinute < maxFilesPerRequest
      ? [`GLIMPSE_IMAGES_PER_MINUTE (${imagesPerMinute}) must be at least GLIMPSE_MAX_FILES (${maxFilesPerRequest})`]
      : []),
  ];
  if (problems.length > 0) throw new ConfigError('web', problems);
  return {
    apiKeyDigests,
    cse546RequiresKey: parsed.GLIMPSE_CSE546_REQUIRES_KEY,
    ...(parsed.GLIMPSE_TRUST_PROXY === undefined ? {} : { trustProxy: parsed.GLIMPSE_TRUST_PROXY }),
    requestsPerMinute: parsed.GLIMPSE_REQUESTS_PER_MINUTE ?? (keyed ? DEFAULT_REQUESTS_PER_MINUTE : 0),
    imagesPerMinute,
  };
}
