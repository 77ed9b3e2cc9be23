import path from 'node:path';
import { DEFAULT_MODEL, BUILT_IN_MODEL_NAMES, type BuiltInModelName } from '#core/models/registry.js';
import { UsageError } from '../errors.js';
import { namesFrom, parseCommandLine, wholeNumber } from '../shared/option-values.js';

/** The sections of a bench run, in the order of the report. */
export const SECTION_NAMES = ['bare', 'e2e', 'one-client', 'cold', 'burst'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/**
 * `npm run bench -- [--images DIR] [--model NAME] [--requests 600] [--concurrency 64] [--burst 1000]
 * [--burst-concurrency 100] [--one-client 100] [--workers <cores>] [--json FILE] [--profile DIR]
 * [--skip bare,e2e,one-client,cold,burst] [--stack OTHER_CHECKOUT/dist/local/main.js]`
 */
export interface BenchOptions {
  readonly imagesDir: string;
  readonly model: BuiltInModelName;
  /** Images of the bare throughput run and uploads of the end-to-end run. */
  readonly requests: number;
  /** Uploads in flight in the end-to-end run. */
  readonly concurrency: number;
  readonly burst: number;
  readonly burstConcurrency: number;
  /** Uploads sent one at a time (and images of the bare batch-1 latency run). */
  readonly oneClient: number;
  /** Warm workers of the stack: its GLIMPSE_MIN_WORKERS and GLIMPSE_MAX_WORKERS. */
  readonly workers: number;
  readonly jsonFile?: string;
  /** Folder for a `.cpuprofile` of the bare run and of each process of the warm stack. */
  readonly profileDir?: string;
  readonly skip: readonly SectionName[];
  /** Another build's `dist/local/main.js` to start instead of this one's (a before/after comparison). */
  readonly stackEntry?: string;
}

/** The options of a run on a machine with `cores` CPUs (the default number of workers). */
export function parseBenchOptions(argv: readonly string[], cores: number): BenchOptions {
  const values = parseCommandLine(argv, {
    images: { type: 'string', default: '../shared/images' },
    model: { type: 'string', default: DEFAULT_MODEL },
    requests: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '64' },
    burst: { type: 'string', default: '1000' },
    'burst-concurrency': { type: 'string', default: '100' },
    'one-client': { type: 'string', default: '100' },
    workers: { type: 'string', default: String(cores) },
    json: { type: 'string' },
    profile: { type: 'string' },
    skip: { type: 'string', default: '' },
    stack: { type: 'string' },
  });
  const [model, ...others] = namesFrom('model', values.model, BUILT_IN_MODEL_NAMES);
  if (others.length > 0) throw new UsageError('--model names one model');
  return {
    imagesDir: values.images,
    model: model!,
    requests: wholeNumber('requests', values.requests, 1),
    concurrency: wholeNumber('concurrency', values.concurrency, 1),
    burst: wholeNumber('burst', values.burst, 1),
    burstConcurrency: wholeNumber('burst-concurrency', values['burst-concurrency'], 1),
    oneClient: wholeNumber('one-client', values['one-client'], 1),
    workers: wholeNumber('workers', values.workers, 1),
    jsonFile: values.json,
    profileDir: values.profile,
    skip: values.skip ? namesFrom('skip', values.skip, SECTION_NAMES) : [],
    ...(values.stack ? { stackEntry: path.resolve(values.stack) } : {}),
  };
}

/** Whether the run includes a section. */
export function runs(options: BenchOptions, section: SectionName): boolean {
  return !options.skip.includes(section);
}
