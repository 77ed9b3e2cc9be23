import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from '../errors.js';

/** The options of a command line (strict: an unknown option or a missing value is a {@link UsageError}). */
export function parseCommandLine<const T extends ParseArgsOptionsConfig>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError('the command line does not parse', { cause: error });
  }
}

/** `--name value` as a number greater than zero, or a {@link UsageError} naming the option. */
export function positiveNumber(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`--${name} must be a positive number`);
  return number;
}

/** `--name value` as a whole number of at least `min`, or a {@link UsageError} naming the option. */
export function wholeNumber(name: string, value: string | undefined, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min)
    throw new UsageError(`--${name} must be a whole number of at least ${min}`);
  return number;
}

/** Each comma-separated name of `--name value`, checked against the known names. */
export function namesFrom<T extends string>(name: string, value: string, known: readonly T[]): T[] {
  const names = value.split(',').map((part) => part.trim());
  const unknown = names.find((part) => !(known as readonly string[]).includes(part));
  if (unknown !== undefined) throw new UsageError(`--${name}: unknown ${unknown} (${known.join(', ')})`);
  return names as T[];
}

/** `--name value` as milliseconds: `2s`, `500ms`, or a number of seconds; 0 or more. */
export function duration(name: string, value: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value?.trim() ?? '');
  if (!match) throw new UsageError(`--${name} must be a duration such as 2s, 500ms or 2 (seconds)`);
  return Number(match[1]) * (match[2] === 'ms' ? 1 : 1000);
}
