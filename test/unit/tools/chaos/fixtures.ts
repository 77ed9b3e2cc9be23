import type { ClassificationItem } from '#core/contracts/classification-item.js';
import type { Reply } from '#tools/chaos/upload-client.js';
import type { UploadRecord } from '#tools/chaos/upload-flows.js';

/** Job ids of the fixtures: a UUID per number. */
export const jobId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A job as the API shows it: done with class `index` unless a status is given. */
export function item(
  n: number,
  filename: string,
  index = 1,
  status: ClassificationItem['status'] = 'done',
): ClassificationItem {
  const score = { label: `class ${index}`, wnid: 'n01440764', index, confidence: 0.9 };
  return {
    id: jobId(n),
    filename,
    url: `/v1/classifications/${jobId(n)}`,
    status,
    ...(status === 'done' ? { model: 'mobilenetv2-12-int8', result: { ...score, top5: [score] } } : {}),
    ...(status === 'failed' ? { error: { code: 'undecodable_image', message: 'no' } } : {}),
  } satisfies ClassificationItem;
}

export const answerReply = (status: number, body?: ClassificationItem): Reply => ({
  kind: 'answer',
  status,
  text: body ? JSON.stringify(body) : 'error',
  ...(body ? { item: body } : {}),
});

export const noAnswer = (refused: boolean): Reply => ({ kind: 'no-answer', refused, error: 'fetch failed' });

/** An upload answered with its own image, done with class `index`, after `ms`. */
export function answered(upload: number, filename: string, index = 1, ms = 100): UploadRecord {
  return { upload, filename, sentAtMs: 0, jobId: jobId(upload), answer: item(upload, filename, index), ms, sends: 1 };
}
