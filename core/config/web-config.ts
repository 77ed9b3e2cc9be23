import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { loadAwsConfig, type AwsConfig } from './aws-config.js';
import { costEnvSchema, loadWorkerPrice, type WorkerPrice } from './cost-config.js';
import { edgeEnvSchema, loadEdgeConfig, type EdgeConfig } from './edge-config.js';
import { intVar, optionalStringVar, parseEnv, stringVar, type Env } from './env-schema.js';
import { DEFAULT_MAX_INPUT_PIXELS, loadModelConfig, type ModelConfig } from './model-config.js';
import { loadResourceNames, type ResourceNames } from './resource-names.js';
import { loadWebhookConfig, webhookEnvSchema, type WebhookConfig } from './webhook-config.js';

/** Everything a web-tier process needs, validated once at start. */
export interface WebConfig {
  readonly aws: AwsConfig;
  readonly names: ResourceNames;
  /** HTTP port; 0 picks a free one. Env `PORT`; default 3000. */
  readonly port: number;
  /** Interface to listen on. Env `GLIMPSE_HOST`; default `127.0.0.1` (on OpenStack too: nginx in front terminates TLS). */
  readonly host: string;
  /** Largest accepted file in bytes (413 above). Env `GLIMPSE_MAX_UPLOAD_BYTES`; default 10 MiB. */
  readonly maxUploadBytes: number;
  /**
   * Largest accepted request body in bytes, all files together (413 above; a larger Content-Length is
   * refused before the body is read). Nginx's `client_max_body_size` in the Heat install matches it.
   * Env `GLIMPSE_MAX_REQUEST_BYTES`; default 64 MiB.
   */
  readonly maxRequestBytes: number;
  /**
   * Most upload bytes this process takes in at once, over all requests (503 with Retry-After when
   * full). A request holds its Content-Length (without one: `maxRequestBytes`) until it ends.
   * Env `GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT`; default 256 MiB; at least `maxRequestBytes`.
   */
  readonly maxUploadBytesInFlight: number;
  /** Most files in one request. Env `GLIMPSE_MAX_FILES`; default 64. */
  readonly maxFilesPerRequest: number;
  /** Default `?wait=` of `POST /v1/classifications`, seconds. Env `GLIMPSE_DEFAULT_WAIT_SECONDS`; default 20. */
  readonly defaultWaitSeconds: number;
  /** Largest accepted `?wait=`, seconds. Env `GLIMPSE_MAX_WAIT_SECONDS`; default 300. */
  readonly maxWaitSeconds: number;
  /** How long `POST /` holds a request before 504, seconds. Env `GLIMPSE_CSE546_TIMEOUT_SECONDS`; default 300. */
  readonly cse546TimeoutSeconds: number;
  /** This process's name, part of its response queue's name. Env `GLIMPSE_INSTANCE_ID`; default `<host>-<pid>-<random>`. */
  readonly instanceId: string;
  /**
   * Scaler Lambda to nudge (asynchronous invoke) when work arrives and no worker runs.
   * Env `GLIMPSE_SCALER_FUNCTION`; default: none (the local stack nudges its scaler directly).
   */
  readonly scalerFunction?: string;
  /** The served models (the first the default) and where their folders are: checked at start, listed at GET /v1/models. */
  readonly model: ModelConfig;
  /**
   * Where uploads are decoded to the model's input: `worker` (the paid GPU/EC2 hosts) or `web` (this
   * tier, on our own hardware: it stores the model-ready pixels beside each upload and the worker only
   * normalises and infers). Env `GLIMPSE_PREPROCESS_AT`; default `worker`.
   */
  readonly preprocessAt: 'worker' | 'web';
  /**
   * Largest image in pixels: an upload whose header declares more is refused (422) before it is
   * stored, and web-tier preprocessing decodes no larger. Env `GLIMPSE_MAX_INPUT_PIXELS`; default 40,000,000.
   */
  readonly maxInputPixels: number;
  /** API keys, the client address behind a proxy, and the per-caller rate limits. */
  readonly edge: EdgeConfig;
  /** Webhook destinations allowed, the signing secret, and the delivery back-off. */
  readonly webhooks: WebhookConfig;
  /** Dollars per worker-hour of the cost receipt (`GET /v1/metrics`). Env `GLIMPSE_WORKER_HOUR_PRICE`; default nominal. */
  readonly workerPrice: WorkerPrice;
}

const MiB = 1024 * 1024;

export const webEnvSchema = z.object({
  PORT: intVar(3000, 0, 65_535),
  GLIMPSE_HOST: stringVar('127.0.0.1'),
  GLIMPSE_MAX_UPLOAD_BYTES: intVar(10 * MiB, 1, 1024 * MiB),
  GLIMPSE_MAX_REQUEST_BYTES: intVar(64 * MiB, 1, 4096 * MiB),
  GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT: intVar(256 * MiB, 1, 16_384 * MiB),
  GLIMPSE_MAX_FILES: intVar(64, 1, 1000),
  GLIMPSE_DEFAULT_WAIT_SECONDS: intVar(20, 0, 3600),
  GLIMPSE_MAX_WAIT_SECONDS: intVar(300, 0, 3600),
  GLIMPSE_CSE546_TIMEOUT_SECONDS: intVar(300, 1, 3600),
  GLIMPSE_INSTANCE_ID: optionalStringVar(),
  GLIMPSE_SCALER_FUNCTION: optionalStringVar(),
  GLIMPSE_PREPROCESS_AT: stringVar('worker').pipe(z.enum(['worker', 'web'])),
  GLIMPSE_MAX_INPUT_PIXELS: intVar(DEFAULT_MAX_INPUT_PIXELS, 1),
  ...edgeEnvSchema.shape,
  ...webhookEnvSchema.shape,
  ...costEnvSchema.shape,
});

export function loadWebConfig(env: Env, pid = process.pid): WebConfig {
  const parsed = parseEnv('web', webEnvSchema, env);
  if (parsed.GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT < parsed.GLIMPSE_MAX_REQUEST_BYTES) {
    // Else a request of the largest allowed size could never start.
    throw new ConfigError('web', [
      `GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT (${parsed.GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT}) must be at least ` +
        `GLIMPSE_MAX_REQUEST_BYTES (${parsed.GLIMPSE_MAX_REQUEST_BYTES})`,
    ]);
  }
  const instanceId = (parsed.GLIMPSE_INSTANCE_ID ?? `${os.hostname()}-${pid}-${randomUUID().slice(0, 8)}`)
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 40);
  return {
    aws: loadAwsConfig(env),
    names: loadResourceNames(env),
    port: parsed.PORT,
    host: parsed.GLIMPSE_HOST,
    maxUploadBytes: parsed.GLIMPSE_MAX_UPLOAD_BYTES,
    maxRequestBytes: parsed.GLIMPSE_MAX_REQUEST_BYTES,
    maxUploadBytesInFlight: parsed.GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT,
    maxFilesPerRequest: parsed.GLIMPSE_MAX_FILES,
    defaultWaitSeconds: Math.min(parsed.GLIMPSE_DEFAULT_WAIT_SECONDS, parsed.GLIMPSE_MAX_WAIT_SECONDS),
    maxWaitSeconds: parsed.GLIMPSE_MAX_WAIT_SECONDS,
    cse546TimeoutSeconds: parsed.GLIMPSE_CSE546_TIMEOUT_SECONDS,
    instanceId,
    ...(parsed.GLIMPSE_SCALER_FUNCTION ? { scalerFunction: parsed.GLIMPSE_SCALER_FUNCTION } : {}),
    model: loadModelConfig(env),
    preprocessAt: parsed.GLIMPSE_PREPROCESS_AT,
    maxInputPixels: parsed.GLIMPSE_MAX_INPUT_PIXELS,
    edge: loadEdgeConfig(env, parsed.GLIMPSE_MAX_FILES),
    webhooks: loadWebhookConfig(env),
    workerPrice: loadWorkerPrice(env),
  };
}
