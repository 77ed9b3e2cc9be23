import { UsageError } from '#tools/errors.js';
import { POLICY_NAMES } from '#tools/simulate/policies.js';
import { parseSimulateOptions } from '#tools/simulate/simulate-options.js';
import { TRACE_NAMES } from '#tools/simulate/traces.js';

describe('parseSimulateOptions', () => {
  it('defaults to every trace and policy on the model docs/scaling.md describes', () => {
    expect(parseSimulateOptions([])).toEqual({
      traces: TRACE_NAMES,
      policies: POLICY_NAMES,
      model: {
        bootSeconds: 60,
        workerRequestsPerSecond: 1,
        idleExitSeconds: 60,
        maxWorkers: 19,
        tickSeconds: 5,
        targetDrainSeconds: 30,
      },
      runs: 20,
      seed: 7,
      out: 'docs/scaling',
    });
  });

  it('reads a trace, a list of policies and the model', () => {
    const options = parseSimulateOptions(['--trace', 'spiky', '--policy', 'glimpse,keda', '--throughput', '20']);

    expect(options).toMatchObject({ traces: ['spiky'], policies: ['glimpse', 'keda'] });
    expect(options.model.workerRequestsPerSecond).toBe(20);
  });

  it.each([
    ['an unknown trace', ['--trace', 'weekly'], /--trace: unknown weekly/],
    ['an unknown policy', ['--policy', 'glimpse,hpa'], /--policy: unknown hpa/],
    ['a boot time of zero', ['--boot', '0'], /--boot must be a positive number/],
    ['a fractional number of runs', ['--runs', '2.5'], /--runs must be a whole number/],
    ['an option it does not know', ['--speed', '3'], /does not parse/],
  ])('refuses %s with a UsageError', (_name, argv, message) => {
    expect(() => parseSimulateOptions(argv)).toThrow(UsageError);
    expect(() => parseSimulateOptions(argv)).toThrow(message);
  });
});
