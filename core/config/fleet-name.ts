import { z } from 'zod';
import { parseEnv, stringVar, type Env } from './env-schema.js';

export const fleetNameEnvSchema = z.object({
  GLIMPSE_FLEET_NAME: stringVar('glimpse').pipe(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/)),
});

/** Value of the fleet tag on workers and of the `Fleet` metric dimension. Env `GLIMPSE_FLEET_NAME`; default `glimpse`. */
export function loadFleetName(env: Env): string {
  return parseEnv('fleet name', fleetNameEnvSchema, env).GLIMPSE_FLEET_NAME;
}
