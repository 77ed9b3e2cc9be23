import { stripExtension } from '#core/contracts/display-filename.js';

/** What one upload came back with. */
export interface Answer {
  readonly filename: string;
  readonly status: number;
  /** The label the answer gives, if any. */
  readonly label?: string;
  /** The class index and job id (v1 API only). */
  readonly index?: number;
  readonly jobId?: string;
  /** Whether the answer names this very image. */
  readonly namesOwnImage: boolean;
  readonly error?: string;
  readonly ms: number;
}

/** Sends one image the way the course's workload client does (CSE546) or through the v1 API. */
export async function classifyOnce(
  url: string,
  filename: string,
  bytes: Uint8Array,
  options: { cse546: boolean; waitSeconds: number },
): Promise<Answer> {
  const started = performance.now();
  const body = new FormData();
  body.append(options.cse546 ? 'myfile' : 'images', new Blob([bytes]), filename);
  const target = options.cse546 ? `${url}/` : `${url}/v1/classifications?wait=${options.waitSeconds}`;
  try {
    const response = await fetch(target, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout((options.waitSeconds + 60) * 1000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200)
      return { filename, status: response.status, namesOwnImage: false, error: text.slice(0, 200), ms };
    if (options.cse546) {
      const separator = text.lastIndexOf(':');
      const name = text.slice(0, separator);
      return {
        filename,
        status: 200,
        label: text.slice(separator + 1).trim(),
        namesOwnImage: name === stripExtension(filename),
        ms,
      };
    }
    const item = (
      JSON.parse(text) as {
        items: Array<{ id: string; filename: string; status: string; result?: { label: string; index: number } }>;
      }
    ).items[0];
    return {
      filename,
      status: 200,
      label: item?.result?.label,
      index: item?.result?.index,
      jobId: item?.id,
      namesOwnImage: item?.filename === filename,
      ms,
    };
  } catch (error) {
    return {
      filename,
      status: 0,
      namesOwnImage: false,
      error: (error as Error).message,
      ms: performance.now() - started,
    };
  }
}
