import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Ids a caller may hand in: short, and nothing that could forge a log line or a header. */
const CALLER_REQUEST_ID = /^[\w.:@-]{1,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * The id of one request: the caller's `X-Request-Id` when it sends a sane one (so its logs and
 * ours line up), else a new UUID. It is echoed in the response header.
 */
export function requestIdFor(request: IncomingMessage, response: ServerResponse): string {
  const offered = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof offered === 'string' && CALLER_REQUEST_ID.test(offered) ? offered : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
