import cliProgress from 'cli-progress';
import type { Logger } from '#core/logging/logger.js';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import { classifyOnce, type Answer } from './classify-request.js';
import type { LoadOptions } from './load-options.js';

/**
 * Uploads every image, `concurrency` at a time, with a progress bar on stderr (for the person
 * watching); each failed or misrouted answer is also a debug record. Answers keep the images' order.
 */
export async function classifyAll(
  images: ReadonlyMap<string, Uint8Array>,
  options: LoadOptions,
  log: Logger,
): Promise<Answer[]> {
  const bar = new cliProgress.SingleBar(
    {
      format: 'classifying [{bar}] {value}/{total} {percentage}% | {errors} errors | {eta_formatted} left',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(images.size, 0, { errors: 0 });
  let errors = 0;
  const answers = await mapWithLimit([...images], options.concurrency, async ([filename, bytes]) => {
    const answer = await classifyOnce(options.url, filename, bytes, options);
    if (answer.status !== 200 || !answer.namesOwnImage) {
      errors++;
      log.debug({ filename, status: answer.status, error: answer.error }, 'upload not answered with its own image');
    }
    bar.increment(1, { errors });
    return answer;
  });
  bar.stop();
  return answers;
}
