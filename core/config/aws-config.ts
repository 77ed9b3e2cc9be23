import { z } from 'zod';
import { optionalStringVar, parseEnv, stringVar, type Env } from './env-schema.js';

/** How every process reaches AWS (or the embedded emulator). */
export interface AwsConfig {
  /** AWS region. Env `AWS_REGION`; default `us-east-1`. */
  readonly region: string;
  /**
   * Endpoint override for SQS and S3, e.g. the embedded emulator (`http://127.0.0.1:4566`).
   * Env `GLIMPSE_AWS_ENDPOINT`; default: none (real AWS endpoints).
   */
  readonly endpoint?: string;
  /**
   * Static credentials. Env `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`;
   * default: the SDK's default provider chain (instance profile, Roles Anywhere, SSO, …).
   * With an endpoint override and no keys, dummy keys are used (the emulator ignores them).
   */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

export const awsEnvSchema = z.object({
  AWS_REGION: stringVar('us-east-1'),
  GLIMPSE_AWS_ENDPOINT: optionalStringVar().pipe(z.url().optional()),
  AWS_ACCESS_KEY_ID: optionalStringVar(),
  AWS_SECRET_ACCESS_KEY: optionalStringVar(),
  AWS_SESSION_TOKEN: optionalStringVar(),
});

const schema = awsEnvSchema.transform((env): AwsConfig => {
  const base = { region: env.AWS_REGION, endpoint: env.GLIMPSE_AWS_ENDPOINT };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      ...base,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN,
      },
    };
  }
  if (env.GLIMPSE_AWS_ENDPOINT) {
    return { ...base, credentials: { accessKeyId: 'glimpse', secretAccessKey: 'glimpse' } };
  }
  return base;
});

export function loadAwsConfig(env: Env): AwsConfig {
  return parseEnv('AWS', schema, env);
}
