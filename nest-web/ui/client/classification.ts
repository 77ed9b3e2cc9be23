import { KeyRequiredError, keyHeaders } from './api-key.js';

/** One class and its probability, as the API answers it. */
export interface ClassScore {
  readonly label: string;
  readonly confidence: number;
}

/** An item of `POST /v1/classifications` and `GET /v1/classifications/:id`: the fields this page reads. */
export type ClassificationItem =
  | { readonly status: 'queued'; readonly url: string }
  | {
      readonly status: 'done';
      readonly url: string;
      readonly model: string;
      readonly result: ClassScore & { readonly top5: readonly ClassScore[] };
    }
  | { readonly status: 'failed'; readonly url: string; readonly model: string; readonly error: { message: string } };

export type FinishedItem = Exclude<ClassificationItem, { status: 'queued' }>;

/** The API refused an upload; the message is the API's own. */
export class UploadRefusedError extends Error {
  override readonly name = 'UploadRefusedError';
}

const POLL_INTERVAL_MS = 1000;

/**
 * Sends the images in one request, for `model` (the server's default when undefined), and waits up
 * to 30 s on the server; items still queued come back queued.
 */
export async function submitImages(files: readonly File[], model?: string): Promise<ClassificationItem[]> {
  const form = new FormData();
  for (const file of files) form.append('images', file, file.name);
  if (model) form.append('model', model);
  const response = await fetch('/v1/classifications?wait=30', { method: 'POST', body: form, headers: keyHeaders() });
  const body = (await response.json()) as { items: ClassificationItem[]; message?: string };
  if (response.status === 401) throw new KeyRequiredError(body.message || response.statusText);
  if (!response.ok && response.status !== 202) throw new UploadRefusedError(body.message || response.statusText);
  return body.items;
}

/** Reads a queued job by its url every second until it is done or failed. */
export async function finished(item: ClassificationItem): Promise<FinishedItem> {
  while (item.status === 'queued') {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    const response = await fetch(item.url, { headers: keyHeaders() });
    if (response.ok) item = (await response.json()) as ClassificationItem;
  }
  return item;
}
