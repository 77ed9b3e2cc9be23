import type { Response } from 'express';
import { abortSignalFor } from '../http/abort-signal.js';

/** Proxies close a connection silent for a minute or so; a comment line every 15 s keeps it open. */
export const HEARTBEAT_MS = 15_000;

/**
 * A Server-Sent Events answer on an Express response: the headers at once, a heartbeat comment
 * while it is open, named events with JSON data, and `signal`, which fires when the client goes away.
 */
export class EventStream {
  readonly signal: AbortSignal;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly response: Response,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.signal = abortSignalFor(response);
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx (the Heat install's proxy) would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
    response.once('close', () => clearInterval(this.heartbeat));
  }

  /** One event: its name, an optional id, and its data as one line of JSON. */
  send(event: string, data: unknown, id?: string): void {
    this.write(`event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the answer (the client's stream closes). */
  end(): void {
    clearInterval(this.heartbeat);
    if (!this.response.writableEnded) this.response.end();
  }

  private write(chunk: string): void {
    if (!this.response.writableEnded) this.response.write(chunk);
  }
}
