import { parseChaosOptions } from '#tools/chaos/chaos-options.js';
import { UsageError } from '#tools/errors.js';

describe('parseChaosOptions', () => {
  it('defaults to a self-started stack with a worker per core, 200 uploads, 50 in flight, a kill every 2 s', () => {
    expect(parseChaosOptions([], 4)).toEqual({
      target: { kind: 'self-started', model: 'mobilenetv2-12-int8', workers: 4 },
      imagesDir: '../shared/images',
      requests: 200,
      concurrency: 50,
      waitSeconds: 60,
      killEveryMs: 2000,
      restart: undefined,
      jsonFile: undefined,
    });
  });

  it('reads every option of a self-started run with a restart', () => {
    // Act
    const options = parseChaosOptions(
      ['--requests', '40', '--concurrency', '10', '--wait', '90', '--kill-every', '500ms', '--restart-at', '20'],
      2,
    );

    // Assess
    expect(options).toMatchObject({ requests: 40, concurrency: 10, waitSeconds: 90, killEveryMs: 500 });
    expect(options.restart).toEqual({ afterUploads: 20 });
    expect(parseChaosOptions(['--restart-after', '7.5', '--kill-every', '0'], 2)).toMatchObject({
      restart: { afterSeconds: 7.5 },
      killEveryMs: 0,
    });
  });

  it('targets a running loopback stack, killing the children of the process named', () => {
    expect(parseChaosOptions(['--url', 'http://127.0.0.1:3000/', '--worker-pids-from', '4242'], 2).target).toEqual({
      kind: 'running',
      url: 'http://127.0.0.1:3000',
      stackPid: 4242,
    });
    expect(parseChaosOptions(['--url', 'http://[::1]:3000', '--kill-every', '0'], 2).target).toEqual({
      kind: 'running',
      url: 'http://[::1]:3000',
    });
  });

  it.each([
    ['a remote stack', ['--url', 'http://example.com:3000'], '--url must be a loopback address'],
    ['kills on a stack whose workers are unknown', ['--url', 'http://localhost:3000'], '--worker-pids-from'],
    [
      'a restart of a stack it did not start',
      ['--url', 'http://localhost:1', '--kill-every', '0', '--restart-at', '1'],
      'self-started',
    ],
    ['worker pids without a URL', ['--worker-pids-from', '12'], 'give --url too'],
    ['both restart points', ['--restart-at', '5', '--restart-after', '5'], 'not both'],
    ['a restart after the last upload', ['--requests', '10', '--restart-at', '11'], 'at most --requests (10)'],
    ['a duration without a unit it knows', ['--kill-every', '2m'], '--kill-every must be a duration'],
    ['no wait', ['--wait', '0'], '--wait must be a whole number of at least 1'],
    ['--workers with --url', ['--url', 'http://localhost:1', '--kill-every', '0', '--workers', '2'], 'not with --url'],
  ])('refuses %s with a UsageError', (_case, argv, message) => {
    expect(() => parseChaosOptions(argv, 2)).toThrow(UsageError);
    expect(() => parseChaosOptions(argv, 2)).toThrow(message);
  });
});
