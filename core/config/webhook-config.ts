import { z } from 'zod';
import type { WebhookDestinationPolicy } from '../webhooks/webhook-destination.js';
import { boolVar, intVar, optionalStringVar, parseEnv, type Env } from './env-schema.js';

/** How the web tier accepts, signs and retries webhooks (issue 12). */
export interface WebhookConfig {
  /** Which destinations are allowed besides public `https` ones; checked at submission and at each delivery. */
  readonly destinations: WebhookDestinationPolicy;
  /**
   * The Standard Webhooks signing secret (`whsec_` + base64 of 24–64 bytes). Env `GLIMPSE_WEBHOOK_SECRET`;
   * default: none, and then a request naming a webhook is refused (the local stack generates one
   * under its data dir).
   */
  readonly secret?: string;
  /**
   * Delay before the second try of a delivery, seconds; each later try waits twice the one before
   * (capped at 4 h), so 16 tries span about a day. Env `GLIMPSE_WEBHOOK_RETRY_BASE_SECONDS`; default 30.
   */
  readonly retryBaseSeconds: number;
}

/** Standard Webhooks secrets: `whsec_` then base64; 24 to 64 random bytes as the spec advises. */
const secretPattern = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

export const webhookEnvSchema = z.object({
  GLIMPSE_WEBHOOK_SECRET: optionalStringVar().pipe(
    z
      .string()
      .regex(secretPattern, 'must be whsec_ followed by base64')
      .refine((secret) => secretBytes(secret) >= 24 && secretBytes(secret) <= 64, 'must encode 24 to 64 bytes')
      .optional(),
  ),
  GLIMPSE_WEBHOOK_ALLOW_HTTP_LOOPBACK: boolVar(false),
  GLIMPSE_WEBHOOK_ALLOW_PRIVATE: boolVar(false),
  GLIMPSE_WEBHOOK_RETRY_BASE_SECONDS: intVar(30, 1, 3600),
});

function secretBytes(secret: string): number {
  return Buffer.from(secret.slice('whsec_'.length), 'base64').length;
}

export function loadWebhookConfig(env: Env): WebhookConfig {
  const parsed = parseEnv('webhook', webhookEnvSchema, env);
  return {
    destinations: {
      allowHttpLoopback: parsed.GLIMPSE_WEBHOOK_ALLOW_HTTP_LOOPBACK,
      allowPrivate: parsed.GLIMPSE_WEBHOOK_ALLOW_PRIVATE,
    },
    ...(parsed.GLIMPSE_WEBHOOK_SECRET ? { secret: parsed.GLIMPSE_WEBHOOK_SECRET } : {}),
    retryBaseSeconds: parsed.GLIMPSE_WEBHOOK_RETRY_BASE_SECONDS,
  };
}
