import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import type { Response } from 'express';
import { EventStream, HEARTBEAT_MS } from '#web/batches/event-stream.js';

/** The parts of an Express response an event stream uses, recording what it is sent. */
class FakeResponse extends EventEmitter {
  statusCode = 0;
  headers: Record<string, string> = {};
  flushed = false;
  body = '';
  writableEnded = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  set(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }
  flushHeaders(): void {
    this.flushed = true;
  }
  write(chunk: string): boolean {
    this.body += chunk;
    return true;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('close');
  }
}

describe('EventStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the SSE headers at once, then named events with one line of JSON', () => {
    // Prepare
    const response = new FakeResponse();

    // Act
    const stream = new EventStream(response as unknown as Response);
    stream.send('item', { id: 'a', status: 'done' }, 'a');
    stream.send('end', { items: 1 });
    stream.end();

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Type']).toBe('text/event-stream; charset=utf-8');
    expect(response.headers['X-Accel-Buffering']).toBe('no');
    expect(response.flushed).toBe(true);
    expect(response.body).toBe(
      'event: item\nid: a\ndata: {"id":"a","status":"done"}\n\nevent: end\ndata: {"items":1}\n\n',
    );
    expect(response.writableEnded).toBe(true);
  });

  it('writes a heartbeat comment every 15 s while open, and none after the end', () => {
    // Prepare
    const response = new FakeResponse();
    const stream = new EventStream(response as unknown as Response);

    // Act
    jest.advanceTimersByTime(2 * HEARTBEAT_MS);
    stream.end();
    jest.advanceTimersByTime(2 * HEARTBEAT_MS);

    // Assess
    expect(HEARTBEAT_MS).toBe(15_000);
    expect(response.body).toBe(': heartbeat\n\n: heartbeat\n\n');
  });

  it('signals when the client goes away, and stops its heartbeat', () => {
    // Prepare
    const response = new FakeResponse();
    const stream = new EventStream(response as unknown as Response);

    // Act
    response.emit('close');
    jest.advanceTimersByTime(2 * HEARTBEAT_MS);

    // Assess
    expect(stream.signal.aborted).toBe(true);
    expect(response.body).toBe('');
  });
});
