import { CLASSIFICATIONS_PATH, type ClassificationBatch } from '#core/contracts/classification-item.js';
import { stripExtension } from '#core/contracts/display-filename.js';
import { describeError } from '#core/errors.js';

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

export interface ClassifyOptions {
  /** The CSE546 contract (POST /, field myfile, text answer) instead of the v1 API. */
  readonly cse546: boolean;
  /** Seconds the web tier may wait for the result (v1 API), plus a minute for the request itself. */
  readonly waitSeconds: number;
  /** The served model to ask for (v1 API; GET /v1/models lists them); the server's default when absent. */
  readonly model?: string;
}

/** Sends one image the way the course's workload client does (CSE546) or through the v1 API. */
export async function classifyOnce(
  url: string,
  filename: string,
  bytes: Uint8Array,
  options: ClassifyOptions,
): Promise<Answer> {
  const started = performance.now();
  const body = new FormData();
  body.append(options.cse546 ? 'myfile' : 'images', new Blob([bytes]), filename);
  const model = options.model === undefined ? '' : `&model=${encodeURIComponent(options.model)}`;
  const target = options.cse546 ? `${url}/` : `${url}${CLASSIFICATIONS_PATH}?wait=${options.waitSeconds}${model}`;
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
    return { filename, status: 200, ms, ...(options.cse546 ? readCse546Answer : readV1Answer)(text, filename) };
  } catch (error) {
    return { filename, status: 0, namesOwnImage: false, error: describeError(error), ms: performance.now() - started };
  }
}

/** `<image name without extension>:<label>` */
function readCse546Answer(text: string, filename: string): Pick<Answer, 'label' | 'namesOwnImage'> {
  const separator = text.lastIndexOf(':');
  return {
    label: text.slice(separator + 1).trim(),
    namesOwnImage: text.slice(0, separator) === stripExtension(filename),
  };
}

/** The batch of one item that `POST /v1/classifications` answers. */
function readV1Answer(text: string, filename: string): Pick<Answer, 'label' | 'index' | 'jobId' | 'namesOwnImage'> {
  const item = (JSON.parse(text) as ClassificationBatch).items[0];
  return {
    label: item?.result?.label,
    index: item?.result?.index,
    jobId: item?.id,
    namesOwnImage: item?.filename === filename,
  };
}
