import { Writable } from 'node:stream';
import { createLogger, type Logger } from '#core/logging/logger.js';

/** A real pino logger whose records land in `records`, parsed, for tests that assert on logs. */
export function recordingLogger(component = 'test'): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') records.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger(component, { level: 'trace', destination }), records };
}
