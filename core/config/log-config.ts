import { z } from 'zod';
import { parseEnv, type Env } from './env-schema.js';

/** Environment variables of the logger, shared by every process. */
export const logEnvSchema = z.object({
  /** Lowest level written: fatal, error, warn, info, debug, trace or silent. Default `info`. */
  GLIMPSE_LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

/** The validated logging configuration. */
export interface LogConfig {
  readonly level: z.output<typeof logEnvSchema>['GLIMPSE_LOG_LEVEL'];
}

export function loadLogConfig(env: Env): LogConfig {
  return { level: parseEnv('log', logEnvSchema, env).GLIMPSE_LOG_LEVEL };
}
