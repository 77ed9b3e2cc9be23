import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** Process environment as handed to the config loaders (never read elsewhere). */
export type Env = Readonly<Record<string, string | undefined>>;

/** An integer variable with a default; empty strings count as unset. */
export const intVar = (defaultValue: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).default(defaultValue));

/** An optional integer variable, for a default decided later; empty strings count as unset. */
export const optionalIntVar = (min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).optional());

/** A string variable with a default; empty strings count as unset. */
export const stringVar = (defaultValue: string) =>
  z.preprocess(blankToUndefined, z.string().min(1).default(defaultValue));

/** An optional string variable; empty strings count as unset. */
export const optionalStringVar = () => z.preprocess(blankToUndefined, z.string().min(1).optional());

/** A boolean variable accepting true/false/1/0/yes/no. */
export const boolVar = (defaultValue: boolean) =>
  z.preprocess((value) => {
    const text = blankToUndefined(value);
    if (typeof text !== 'string') return text;
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
    return text;
  }, z.boolean().default(defaultValue));

function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/** Parses `env` with `schema`, throwing a {@link ConfigError} that lists every problem at once. */
export function parseEnv<S extends z.ZodType>(section: string, schema: S, env: Env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw ConfigError.fromZod(section, parsed.error);
  return parsed.data;
}
