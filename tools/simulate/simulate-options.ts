import { namesFrom, parseCommandLine, positiveNumber, wholeNumber } from '../shared/option-values.js';
import { POLICY_NAMES, type PolicyModel, type PolicyName } from './policies.js';
import { TRACE_NAMES, type TraceName } from './traces.js';

/** `npm run simulate -- --trace <name|all> [--policy a,b] [--runs 20] [--seed 7] [--boot 60] …` */
export interface SimulateOptions {
  readonly traces: readonly TraceName[];
  readonly policies: readonly PolicyName[];
  readonly model: PolicyModel;
  /** Runs per figure, each with its own random offset of the trace. */
  readonly runs: number;
  readonly seed: number;
  /** Charts go to `<out>-<trace>.svg`. */
  readonly out: string;
}

export function parseSimulateOptions(argv: readonly string[]): SimulateOptions {
  const values = parseCommandLine(argv, {
    trace: { type: 'string', default: 'all' },
    policy: { type: 'string', default: POLICY_NAMES.join(',') },
    runs: { type: 'string', default: '20' },
    seed: { type: 'string', default: '7' },
    boot: { type: 'string', default: '60' },
    throughput: { type: 'string', default: '1' },
    idle: { type: 'string', default: '60' },
    max: { type: 'string', default: '19' },
    tick: { type: 'string', default: '5' },
    drain: { type: 'string', default: '30' },
    out: { type: 'string', default: 'docs/scaling' },
  });
  return {
    traces: values.trace === 'all' ? TRACE_NAMES : namesFrom('trace', values.trace, TRACE_NAMES),
    policies: namesFrom('policy', values.policy, POLICY_NAMES),
    model: {
      bootSeconds: positiveNumber('boot', values.boot),
      workerRequestsPerSecond: positiveNumber('throughput', values.throughput),
      idleExitSeconds: positiveNumber('idle', values.idle),
      maxWorkers: wholeNumber('max', values.max, 1),
      tickSeconds: positiveNumber('tick', values.tick),
      targetDrainSeconds: positiveNumber('drain', values.drain),
    },
    runs: wholeNumber('runs', values.runs, 1),
    seed: wholeNumber('seed', values.seed, 0),
    out: values.out,
  };
}
