import {
  CLASSIFICATIONS_PATH,
  classificationBatchSchema,
  classificationItemSchema,
  classificationUrl,
  type ClassificationItem,
} from '#core/contracts/classification-item.js';
import { describeError } from '#core/errors.js';

/** What one HTTP exchange with the web tier came back with. */
export type Reply =
  /** An HTTP answer; `item` when its body is the job (or the batch of one job) the API describes. */
  | { readonly kind: 'answer'; readonly status: number; readonly item?: ClassificationItem; readonly text: string }
  /**
   * No answer: the connection was refused (nothing reached the web tier), dropped, or timed out.
   * Only `refused` says for sure that no job was made.
   */
  | { readonly kind: 'no-answer'; readonly refused: boolean; readonly error: string };

/** Extra seconds an upload may take past its `?wait=` before the client gives up on it. */
const REQUEST_SLACK_SECONDS = 30;
/** How long a `GET` of one job may take. */
const READ_TIMEOUT_MS = 10_000;

/** `POST /v1/classifications?wait=W` with one image. */
export async function submitImage(
  url: string,
  filename: string,
  bytes: Uint8Array,
  waitSeconds: number,
): Promise<Reply> {
  const body = new FormData();
  body.append('images', new Blob([bytes]), filename);
  return exchange(
    `${url}${CLASSIFICATIONS_PATH}?wait=${waitSeconds}`,
    { method: 'POST', body, signal: AbortSignal.timeout((waitSeconds + REQUEST_SLACK_SECONDS) * 1000) },
    (json) => classificationBatchSchema.parse(json).items[0],
  );
}

/** `GET /v1/classifications/:id`. */
export async function readJob(url: string, jobId: string): Promise<Reply> {
  return exchange(`${url}${classificationUrl(jobId)}`, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) }, (json) =>
    classificationItemSchema.parse(json),
  );
}

async function exchange(
  target: string,
  init: RequestInit,
  itemOf: (json: unknown) => ClassificationItem | undefined,
): Promise<Reply> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(target, init);
    text = await response.text();
  } catch (error) {
    return { kind: 'no-answer', refused: wasRefused(error), error: describeError(error) } satisfies Reply;
  }
  return {
    kind: 'answer',
    status: response.status,
    text: text.slice(0, 200),
    ...parsedItem(text, itemOf),
  } satisfies Reply;
}

function parsedItem(text: string, itemOf: (json: unknown) => ClassificationItem | undefined) {
  try {
    const item = itemOf(JSON.parse(text));
    return item ? { item } : {};
  } catch {
    // An error body, or not the API's JSON: the status and text say what came back.
    return {};
  }
}

/** Whether fetch failed because nothing listened (the stack is down), as undici reports it. */
function wasRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED';
}
