import { UsageError } from '#tools/errors.js';
import { parseBenchOptions, runs } from '#tools/bench/bench-options.js';

describe('parseBenchOptions', () => {
  it('defaults to the issue-8 run: 600 uploads at 64, a burst of 1000 at 100, as many workers as cores', () => {
    expect(parseBenchOptions([], 4)).toEqual({
      imagesDir: '../shared/images',
      model: 'mobilenetv2-12-int8',
      requests: 600,
      concurrency: 64,
      burst: 1000,
      burstConcurrency: 100,
      oneClient: 100,
      workers: 4,
      jsonFile: undefined,
      profileDir: undefined,
      skip: [],
    });
  });

  it('reads every option', () => {
    // Act
    const options = parseBenchOptions(
      [
        ...['--images', 'photos', '--model', 'shufflenet-v2-12-qdq', '--requests', '40', '--concurrency', '8'],
        ...['--burst', '50', '--burst-concurrency', '10', '--one-client', '5', '--workers', '1'],
        ...['--json', 'out/bench.json', '--profile', 'profiles', '--skip', 'cold,burst'],
        ...['--stack', '/tmp/before/dist/local/main.js'],
      ],
      2,
    );

    // Assess
    expect(options).toEqual({
      imagesDir: 'photos',
      model: 'shufflenet-v2-12-qdq',
      requests: 40,
      concurrency: 8,
      burst: 50,
      burstConcurrency: 10,
      oneClient: 5,
      workers: 1,
      jsonFile: 'out/bench.json',
      profileDir: 'profiles',
      skip: ['cold', 'burst'],
      stackEntry: '/tmp/before/dist/local/main.js',
    });
    expect(runs(options, 'cold')).toBe(false);
    expect(runs(options, 'e2e')).toBe(true);
  });

  it.each([
    ['an unknown model', ['--model', 'resnet50'], /--model: unknown resnet50/],
    ['two models', ['--model', 'mobilenetv2-12-int8,shufflenet-v2-12-qdq'], /--model names one model/],
    ['zero requests', ['--requests', '0'], /--requests must be a whole number of at least 1/],
    ['a fractional concurrency', ['--concurrency', '2.5'], /--concurrency must be a whole number/],
    ['a burst that is not a number', ['--burst', 'many'], /--burst must be a whole number/],
    ['zero workers', ['--workers', '0'], /--workers must be a whole number of at least 1/],
    ['an unknown section to skip', ['--skip', 'bare,warm'], /--skip: unknown warm/],
    ['an option it does not know', ['--url', 'http://127.0.0.1:3000'], /does not parse/],
    ['an option without its value', ['--json'], /does not parse/],
  ])('refuses %s with a UsageError', (_name, argv, message) => {
    expect(() => parseBenchOptions(argv, 2)).toThrow(UsageError);
    expect(() => parseBenchOptions(argv, 2)).toThrow(message);
  });
});
