/** A structured log function: one JSON line per call. */
export type Log = (message: string, fields?: Record<string, unknown>) => void;

/** Logs JSON lines to stderr, tagged with the component that wrote them. */
export function createLogger(
  component: string,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Log {
  return (message, fields) => {
    write(JSON.stringify({ time: new Date().toISOString(), component, message, ...fields }));
  };
}
