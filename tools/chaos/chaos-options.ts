import { DEFAULT_MODEL, BUILT_IN_MODEL_NAMES, type BuiltInModelName } from '#core/models/registry.js';
import { UsageError } from '../errors.js';
import { duration, namesFrom, parseCommandLine, positiveNumber, wholeNumber } from '../shared/option-values.js';

/** When the self-started stack is restarted: once the N-th upload is sent, or S seconds into the burst. */
export type RestartPoint = { readonly afterUploads: number } | { readonly afterSeconds: number };

/** The stack under test: one the tool starts (and may restart), or one already running at `url`. */
export type ChaosTargetOptions =
  | { readonly kind: 'self-started'; readonly model: BuiltInModelName; readonly workers: number }
  | {
      readonly kind: 'running';
      readonly url: string;
      /** The stack process whose children are the workers to kill (`--worker-pids-from`). */
      readonly stackPid?: number;
    };

/**
 * `npm run chaos -- [--url URL [--worker-pids-from STACK_PID]] [--images ../shared/images]
 * [--model NAME] [--requests 200] [--concurrency 50] [--wait 60] [--kill-every 2s]
 * [--restart-at N | --restart-after SECONDS] [--workers <cores>] [--json FILE]`
 */
export interface ChaosOptions {
  readonly target: ChaosTargetOptions;
  readonly imagesDir: string;
  /** Uploads in all, one image each, going round the folder. */
  readonly requests: number;
  /** Uploads in flight. */
  readonly concurrency: number;
  /** Seconds each upload may take from its first send to its answer. */
  readonly waitSeconds: number;
  /** Milliseconds between two worker kills; 0: no kills. */
  readonly killEveryMs: number;
  readonly restart?: RestartPoint;
  readonly jsonFile?: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The options of a run on a machine with `cores` CPUs (the self-started stack's default number of workers). */
export function parseChaosOptions(argv: readonly string[], cores: number): ChaosOptions {
  const values = parseCommandLine(argv, {
    url: { type: 'string' },
    'worker-pids-from': { type: 'string' },
    images: { type: 'string', default: '../shared/images' },
    model: { type: 'string' },
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '50' },
    wait: { type: 'string', default: '60' },
    'kill-every': { type: 'string', default: '2s' },
    'restart-at': { type: 'string' },
    'restart-after': { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'string' },
  });
  const requests = wholeNumber('requests', values.requests, 1);
  const options: ChaosOptions = {
    target: values.url ? runningTarget(values) : selfStartedTarget(values, cores),
    imagesDir: values.images,
    requests,
    concurrency: wholeNumber('concurrency', values.concurrency, 1),
    waitSeconds: wholeNumber('wait', values.wait, 1),
    killEveryMs: duration('kill-every', values['kill-every']),
    restart: restartPoint(values['restart-at'], values['restart-after'], requests),
    jsonFile: values.json,
  };
  if (options.restart && options.target.kind === 'running')
    throw new UsageError('--restart-at and --restart-after need the self-started stack (no --url)');
  if (options.killEveryMs > 0 && options.target.kind === 'running' && options.target.stackPid === undefined)
    throw new UsageError('killing workers of a stack at --url needs --worker-pids-from STACK_PID (or --kill-every 0)');
  return options;
}

function runningTarget(values: { url?: string; 'worker-pids-from'?: string; model?: string; workers?: string }) {
  if (values.model !== undefined || values.workers !== undefined)
    throw new UsageError('--model and --workers set up the self-started stack: not with --url');
  const url = values.url!.replace(/\/+$/, '');
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch (error) {
    throw new UsageError(`--url ${url} is not a URL`, { cause: error });
  }
  if (!LOOPBACK_HOSTS.has(host)) throw new UsageError('--url must be a loopback address (127.0.0.1, localhost, [::1])');
  const pid = values['worker-pids-from'];
  return {
    kind: 'running' as const,
    url,
    ...(pid === undefined ? {} : { stackPid: wholeNumber('worker-pids-from', pid, 1) }),
  };
}

function selfStartedTarget(values: { 'worker-pids-from'?: string; model?: string; workers?: string }, cores: number) {
  if (values['worker-pids-from'] !== undefined)
    throw new UsageError('--worker-pids-from names the process of a stack at --url: give --url too');
  const [model, ...others] = namesFrom('model', values.model ?? DEFAULT_MODEL, BUILT_IN_MODEL_NAMES);
  if (others.length > 0) throw new UsageError('--model names one model');
  return {
    kind: 'self-started' as const,
    model: model!,
    workers: wholeNumber('workers', values.workers ?? String(cores), 1),
  };
}

function restartPoint(at: string | undefined, after: string | undefined, requests: number): RestartPoint | undefined {
  if (at !== undefined && after !== undefined) throw new UsageError('give --restart-at or --restart-after, not both');
  if (at !== undefined) {
    const afterUploads = wholeNumber('restart-at', at, 1);
    if (afterUploads > requests) throw new UsageError(`--restart-at must be at most --requests (${requests})`);
    return { afterUploads };
  }
  return after === undefined ? undefined : { afterSeconds: positiveNumber('restart-after', after) };
}
