import { parseArgs } from 'node:util';

/** `npm run load -- --url <web> --images <folder> [--concurrency 100] [--expect labels.csv] [--cse546] [--wait 300]` */
export interface LoadOptions {
  readonly url: string;
  readonly imagesDir: string;
  readonly concurrency: number;
  /** CSV with columns filename and label: answers are checked against it. */
  readonly expectFile?: string;
  /** Use the CSE546 contract (POST /, field myfile, text answer) instead of /v1/classifications. */
  readonly cse546: boolean;
  /** Seconds each request may wait for its result. */
  readonly waitSeconds: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseLoadOptions(argv: readonly string[]): LoadOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      images: { type: 'string' },
      concurrency: { type: 'string', default: '100' },
      expect: { type: 'string' },
      cse546: { type: 'boolean', default: false },
      wait: { type: 'string', default: '300' },
    },
  });
  if (!values.url) throw new UsageError('--url is required (the web tier, e.g. http://127.0.0.1:3000)');
  if (!values.images) throw new UsageError('--images is required (a folder of images)');
  const concurrency = Number(values.concurrency);
  const waitSeconds = Number(values.wait);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('--concurrency must be a positive integer');
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0)
    throw new UsageError('--wait must be a whole number of seconds');
  return {
    url: values.url.replace(/\/+$/, ''),
    imagesDir: values.images,
    concurrency,
    expectFile: values.expect,
    cse546: values.cse546 ?? false,
    waitSeconds,
  };
}
