import { UsageError } from '#tools/errors.js';
import { parseLoadOptions } from '#tools/load/load-options.js';

describe('parseLoadOptions', () => {
  it('reads the options, with their defaults', () => {
    expect(parseLoadOptions(['--url', 'http://h:3000/', '--images', 'imgs', '--cse546'])).toEqual({
      url: 'http://h:3000',
      imagesDir: 'imgs',
      concurrency: 100,
      expectFile: undefined,
      cse546: true,
      waitSeconds: 300,
    });
  });

  it('names the model to ask for', () => {
    expect(parseLoadOptions(['--url', 'u', '--images', 'x', '--model', 'pets']).model).toBe('pets');
  });

  it.each([
    ['a model with the CSE546 contract', ['--url', 'u', '--images', 'x', '--cse546', '--model', 'pets'], /--model/],
    ['no --url', ['--images', 'x'], /--url is required/],
    ['no --images', ['--url', 'u'], /--images is required/],
    ['no concurrency', ['--url', 'u', '--images', 'x', '--concurrency', '0'], /--concurrency/],
    ['a fractional wait', ['--url', 'u', '--images', 'x', '--wait', '1.5'], /--wait/],
    ['an unknown option', ['--url', 'u', '--images', 'x', '--bogus'], /does not parse/],
  ])('refuses %s with a UsageError', (_name, argv, message) => {
    expect(() => parseLoadOptions(argv)).toThrow(UsageError);
    expect(() => parseLoadOptions(argv)).toThrow(message);
  });
});
