import { UsageError } from '#tools/errors.js';
import { duration, namesFrom, parseCommandLine, positiveNumber, wholeNumber } from '#tools/shared/option-values.js';

describe('option values', () => {
  it('reads numbers and names that fit', () => {
    expect(positiveNumber('boot', '2.5')).toBe(2.5);
    expect(wholeNumber('wait', '0', 0)).toBe(0);
    expect(namesFrom('policy', 'keda, glimpse', ['glimpse', 'keda'])).toEqual(['keda', 'glimpse']);
  });

  it.each([
    ['zero for a positive number', () => positiveNumber('boot', '0'), '--boot must be a positive number'],
    ['text for a positive number', () => positiveNumber('boot', 'soon'), '--boot must be a positive number'],
    [
      'a fraction for a whole number',
      () => wholeNumber('runs', '1.5', 1),
      '--runs must be a whole number of at least 1',
    ],
    ['too small a whole number', () => wholeNumber('runs', '0', 1), '--runs must be a whole number of at least 1'],
    ['an unknown name', () => namesFrom('trace', 'steady,weekly', ['steady']), '--trace: unknown weekly (steady)'],
  ])('refuse %s with a UsageError naming the option', (_name, read, message) => {
    expect(read).toThrow(new UsageError(message));
  });

  it('turns what parseArgs refuses into a UsageError that keeps its cause', () => {
    let thrown: unknown;
    try {
      parseCommandLine(['--nope'], { yes: { type: 'boolean' } });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).cause).toHaveProperty('code', 'ERR_PARSE_ARGS_UNKNOWN_OPTION');
  });
});

describe('duration', () => {
  it.each([
    ['2s', 2000],
    ['500ms', 500],
    ['1.5', 1500],
    ['0', 0],
  ])('reads %s as %d ms', (value, ms) => {
    expect(duration('kill-every', value)).toBe(ms);
  });

  it.each(['2m', '-1s', 'soon', ''])('refuses %j with a UsageError naming the option', (value) => {
    expect(() => duration('kill-every', value)).toThrow(
      new UsageError('--kill-every must be a duration such as 2s, 500ms or 2 (seconds)'),
    );
  });
});
