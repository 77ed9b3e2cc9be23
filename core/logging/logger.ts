import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { Env } from '../config/env-schema.js';
import { loadLogConfig } from '../config/log-config.js';

export type { Logger } from 'pino';

/** How a process logs; its entry point builds one from {@link loadLogConfig} and the terminal. */
export interface LoggerOptions {
  /** Lowest level written (`GLIMPSE_LOG_LEVEL`). Default `info`. */
  readonly level?: LevelWithSilent;
  /** Readable coloured lines instead of JSON (for a person at a terminal, e.g. `npm start`). */
  readonly pretty?: boolean;
  /** Where records go. Default: stderr, so a CLI's stdout stays its user-facing output. */
  readonly destination?: DestinationStream;
}

/**
 * The one logger of every tier: pino records with `component` bound, ISO timestamps and the level
 * as a label. Callers add job, worker and request ids as fields (`log.child({ workerId })`).
 */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const destination =
    options.destination ??
    (options.pretty
      ? PinoPretty({
          destination: 2,
          sync: true,
          colorize: true,
          singleLine: true,
          ignore: 'pid,hostname,component',
          messageFormat: '{component}: {msg}',
        })
      : pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      base: { component },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** A logger that writes nothing, for callers (and tests) that have no use for the records. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * The logger an entry point builds for its process: level from `GLIMPSE_LOG_LEVEL` (validated),
 * readable lines when stderr is a terminal, JSON records otherwise.
 */
export function createProcessLogger(component: string, env: Env): Logger {
  return createLogger(component, { level: loadLogConfig(env).level, pretty: process.stderr.isTTY === true });
}
