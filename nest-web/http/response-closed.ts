import type { ServerResponse } from 'node:http';

/**
 * Runs `action` once the response is closed: sent, failed, or abandoned by the client. A response
 * already closed runs it at once, so what a request holds is released whatever way it ends.
 */
export function onResponseClosed(response: ServerResponse, action: () => void): void {
  if (response.closed) action();
  else response.once('close', action);
}
