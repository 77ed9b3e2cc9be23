import { UsageError } from '../errors.js';
import { parseCommandLine, wholeNumber } from '../shared/option-values.js';
import type { ClassifyOptions } from './classify-request.js';

/**
 * `npm run load -- --url <web> --images <folder> [--concurrency 100] [--expect labels.csv] [--cse546 | --model NAME]
 * [--wait 300]`
 */
export interface LoadOptions extends ClassifyOptions {
  readonly url: string;
  readonly imagesDir: string;
  readonly concurrency: number;
  /** CSV with columns filename and label: answers are checked against it. */
  readonly expectFile?: string;
}

export function parseLoadOptions(argv: readonly string[]): LoadOptions {
  const values = parseCommandLine(argv, {
    url: { type: 'string' },
    images: { type: 'string' },
    concurrency: { type: 'string', default: '100' },
    expect: { type: 'string' },
    cse546: { type: 'boolean', default: false },
    wait: { type: 'string', default: '300' },
    model: { type: 'string' },
  });
  if (!values.url) throw new UsageError('--url is required (the web tier, e.g. http://127.0.0.1:3000)');
  if (!values.images) throw new UsageError('--images is required (a folder of images)');
  if (values.model !== undefined && values.cse546) throw new UsageError('--cse546 uses the default model: no --model');
  return {
    url: values.url.replace(/\/+$/, ''),
    imagesDir: values.images,
    concurrency: wholeNumber('concurrency', values.concurrency, 1),
    expectFile: values.expect,
    cse546: values.cse546,
    waitSeconds: wholeNumber('wait', values.wait, 0),
    ...(values.model === undefined ? {} : { model: values.model }),
  };
}
