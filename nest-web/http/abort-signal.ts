import type { Response } from 'express';

/** An AbortSignal that fires when the connection closes before the response was sent. */
export function abortSignalFor(response: Response): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableEnded) controller.abort();
  });
  return controller.signal;
}
