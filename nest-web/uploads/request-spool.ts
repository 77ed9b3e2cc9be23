import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RequestTooLargeError } from '../errors.js';
import { onResponseClosed } from '../http/response-closed.js';
import type { SpoolFolder } from './spool-folder.js';

/** A file of a request, on disk. */
export interface SpooledFile {
  readonly path: string;
  readonly size: number;
}

const spools = new WeakMap<object, RequestSpool>();

/**
 * Why a request's writes stop: made once, as aborting with no reason makes a DOMException (and its
 * stack) for every request, writes running or not.
 */
const RESPONSE_CLOSED = new DOMException('the response closed', 'AbortError');

/**
 * The files of one request on disk (`<request id>-<n>` in the app's spool folder), every byte
 * counted against the request cap, and every one removed (writes still running stopped) when the
 * response closes, whatever way.
 */
export class RequestSpool {
  private readonly id = randomUUID();
  private readonly files: string[] = [];
  private bytes = 0;
  private readonly closed = new AbortController();

  private constructor(
    private readonly root: SpoolFolder,
    private readonly maxRequestBytes: number,
  ) {}

  /** The spool of the request that `response` answers, made on first use. */
  static of(
    request: object,
    response: ServerResponse,
    limits: { readonly root: SpoolFolder; readonly maxRequestBytes: number },
  ): RequestSpool {
    let spool = spools.get(request);
    if (!spool) {
      const created = new RequestSpool(limits.root, limits.maxRequestBytes);
      spools.set(request, created);
      onResponseClosed(response, () => created.remove());
      spool = created;
    }
    return spool;
  }

  /**
   * Writes `head` and then the rest of the stream (if any) to a new file. Throws
   * RequestTooLargeError as soon as the request's files pass the cap; the partial file is removed.
   */
  async write(head: Buffer, rest: Readable | undefined): Promise<SpooledFile> {
    const { signal } = this.closed;
    signal.throwIfAborted();
    const folder = await this.root.ready();
    signal.throwIfAborted();
    const target = path.join(folder, `${this.id}-${this.files.length}`);
    this.files.push(target);
    let size = 0;
    const counted = (chunk: Buffer): Buffer => {
      size += chunk.length;
      this.bytes += chunk.length;
      if (this.bytes > this.maxRequestBytes) throw new RequestTooLargeError(this.maxRequestBytes);
      return chunk;
    };
    try {
      counted(head);
      const file = createWriteStream(target, { flags: 'wx' });
      if (rest) await pipeline(rest, countedAfter(head, counted), file, { signal });
      else await pipeline(Readable.from([head]), file, { signal });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.root.forget();
      await rm(target, { force: true });
      throw error;
    }
    return { path: target, size };
  }

  private remove(): void {
    this.closed.abort(RESPONSE_CLOSED);
    if (this.files.length > 0) this.root.remove(this.files);
  }
}

/** Passes `head` (already counted), then every chunk through `counted`, which may refuse it. */
function countedAfter(head: Buffer, counted: (chunk: Buffer) => Buffer): Transform {
  return new Transform({
    construct(callback) {
      this.push(head);
      callback();
    },
    transform(chunk: Buffer, _encoding, callback) {
      try {
        callback(null, counted(chunk));
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/**
 * Reads the first `bytes` bytes of a stream (fewer when it ends first) and leaves the rest unread,
 * the stream paused: enough to judge a file before taking in the rest of it.
 */
export function readHead(stream: Readable, bytes: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = () => stream.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    const finish = (ended: boolean) => {
      stop();
      if (!ended) stream.pause();
      resolve({ head: Buffer.concat(chunks), ended });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // Destroyed without an error (the request torn down): no 'end' will come.
    const onClose = () => onError(new DOMException('the file stream closed before its end', 'AbortError'));
    stream.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}
