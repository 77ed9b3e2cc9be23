import { z } from 'zod';
import { intVar, parseEnv, stringVar, type Env } from './env-schema.js';

/**
 * Names of the queues and buckets every tier shares. The deployment templates take the same
 * names as parameters; the defaults below are what the embedded stack creates.
 */
export interface ResourceNames {
  /** Request queue the web tier sends jobs to. Env `GLIMPSE_REQUEST_QUEUE`; default `glimpse-requests`. */
  readonly requestQueue: string;
  /** Dead-letter queue for jobs that keep failing. Env `GLIMPSE_DEAD_LETTER_QUEUE`; default `glimpse-requests-dlq`. */
  readonly deadLetterQueue: string;
  /** Prefix of each web-tier process's own response queue. Env `GLIMPSE_RESPONSE_QUEUE_PREFIX`; default `glimpse-responses-`. */
  readonly responseQueuePrefix: string;
  /** Bucket holding uploaded images. Env `GLIMPSE_INPUT_BUCKET`; default `glimpse-input`. */
  readonly inputBucket: string;
  /** Bucket holding result records. Env `GLIMPSE_OUTPUT_BUCKET`; default `glimpse-output`. */
  readonly outputBucket: string;
  /** Queue of webhook deliveries to make (one per ended job with a webhook). Env `GLIMPSE_WEBHOOK_QUEUE`; default `glimpse-webhooks`. */
  readonly webhookQueue: string;
  /** Where deliveries that failed for about a day end. Env `GLIMPSE_WEBHOOK_DEAD_LETTER_QUEUE`; default `glimpse-webhooks-dlq`. */
  readonly webhookDeadLetterQueue: string;
  /** Queue of deadline checks (one per job with a deadline, delayed until it). Env `GLIMPSE_DEADLINE_QUEUE`; default `glimpse-deadlines`. */
  readonly deadlineQueue: string;
}

/** Queue behaviour shared by the workers and whoever creates the queues. */
export interface QueuePolicy {
  /**
   * The request queue's default visibility: how long a job received without a lease of its own
   * stays hidden. Workers receive with their shorter, renewed lease (`GLIMPSE_JOB_LEASE_SECONDS`).
   * Env `GLIMPSE_VISIBILITY_TIMEOUT_SECONDS`; default 60.
   */
  readonly visibilityTimeoutSeconds: number;
  /** Receives after which a job moves to the dead-letter queue. Env `GLIMPSE_MAX_RECEIVE_COUNT`; default 5. */
  readonly maxReceiveCount: number;
  /**
   * A response queue untouched this long belongs to a web process that crashed, and is deleted (live
   * processes touch theirs every minute). Env `GLIMPSE_RESPONSE_QUEUE_IDLE_SECONDS`; default 900.
   */
  readonly responseQueueIdleSeconds: number;
  /**
   * Times a job that reached the dead-letter queue without a result (every worker that took it
   * stopped first: killed, crashed, interrupted) goes back to the request queue before it is
   * answered `failed` with `worker_lost`. Env `GLIMPSE_DEAD_LETTER_REDRIVES`; default 2.
   */
  readonly deadLetterRedrives: number;
}

const queueNamePattern = /^[A-Za-z0-9_-]{1,80}$/;
const bucketNamePattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const resourceNamesEnvSchema = z.object({
  GLIMPSE_REQUEST_QUEUE: stringVar('glimpse-requests').pipe(z.string().regex(queueNamePattern)),
  GLIMPSE_DEAD_LETTER_QUEUE: stringVar('glimpse-requests-dlq').pipe(z.string().regex(queueNamePattern)),
  GLIMPSE_RESPONSE_QUEUE_PREFIX: stringVar('glimpse-responses-').pipe(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/)),
  GLIMPSE_INPUT_BUCKET: stringVar('glimpse-input').pipe(z.string().regex(bucketNamePattern)),
  GLIMPSE_OUTPUT_BUCKET: stringVar('glimpse-output').pipe(z.string().regex(bucketNamePattern)),
  GLIMPSE_WEBHOOK_QUEUE: stringVar('glimpse-webhooks').pipe(z.string().regex(queueNamePattern)),
  GLIMPSE_WEBHOOK_DEAD_LETTER_QUEUE: stringVar('glimpse-webhooks-dlq').pipe(z.string().regex(queueNamePattern)),
  GLIMPSE_DEADLINE_QUEUE: stringVar('glimpse-deadlines').pipe(z.string().regex(queueNamePattern)),
});

/**
 * A job names its reply queue, and a worker sends there when the name starts with the response-queue
 * prefix: no other queue may carry that prefix, or a forged job could make workers post into it.
 */
const sharedQueueNames = [
  'GLIMPSE_REQUEST_QUEUE',
  'GLIMPSE_DEAD_LETTER_QUEUE',
  'GLIMPSE_WEBHOOK_QUEUE',
  'GLIMPSE_WEBHOOK_DEAD_LETTER_QUEUE',
  'GLIMPSE_DEADLINE_QUEUE',
] as const;

const namesSchema = resourceNamesEnvSchema
  .superRefine((env, context) => {
    for (const variable of sharedQueueNames) {
      if (env[variable].startsWith(env.GLIMPSE_RESPONSE_QUEUE_PREFIX))
        context.addIssue({
          code: 'custom',
          path: [variable],
          message: `must not start with GLIMPSE_RESPONSE_QUEUE_PREFIX (${env.GLIMPSE_RESPONSE_QUEUE_PREFIX}): only response queues may`,
        });
    }
  })
  .transform((env): ResourceNames => ({
    requestQueue: env.GLIMPSE_REQUEST_QUEUE,
    deadLetterQueue: env.GLIMPSE_DEAD_LETTER_QUEUE,
    responseQueuePrefix: env.GLIMPSE_RESPONSE_QUEUE_PREFIX,
    inputBucket: env.GLIMPSE_INPUT_BUCKET,
    outputBucket: env.GLIMPSE_OUTPUT_BUCKET,
    webhookQueue: env.GLIMPSE_WEBHOOK_QUEUE,
    webhookDeadLetterQueue: env.GLIMPSE_WEBHOOK_DEAD_LETTER_QUEUE,
    deadlineQueue: env.GLIMPSE_DEADLINE_QUEUE,
  }));

export const queuePolicyEnvSchema = z.object({
  GLIMPSE_VISIBILITY_TIMEOUT_SECONDS: intVar(60, 5, 43_200),
  GLIMPSE_MAX_RECEIVE_COUNT: intVar(5, 1, 1000),
  GLIMPSE_RESPONSE_QUEUE_IDLE_SECONDS: intVar(900, 300, 604_800),
  GLIMPSE_DEAD_LETTER_REDRIVES: intVar(2, 0, 100),
});

const queuePolicySchema = queuePolicyEnvSchema.transform((env): QueuePolicy => ({
  visibilityTimeoutSeconds: env.GLIMPSE_VISIBILITY_TIMEOUT_SECONDS,
  maxReceiveCount: env.GLIMPSE_MAX_RECEIVE_COUNT,
  responseQueueIdleSeconds: env.GLIMPSE_RESPONSE_QUEUE_IDLE_SECONDS,
  deadLetterRedrives: env.GLIMPSE_DEAD_LETTER_REDRIVES,
}));

export function loadResourceNames(env: Env): ResourceNames {
  return parseEnv('resource names', namesSchema, env);
}

export function loadQueuePolicy(env: Env): QueuePolicy {
  return parseEnv('queue policy', queuePolicySchema, env);
}
