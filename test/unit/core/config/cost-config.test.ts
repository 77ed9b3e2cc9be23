import { loadWorkerPrice, NOMINAL_WORKER_HOUR_PRICE } from '#core/config/cost-config.js';
import { ConfigError } from '#core/errors.js';

describe('loadWorkerPrice', () => {
  it.each([
    ['unset: the nominal rate, labelled so', {}, { dollarsPerHour: NOMINAL_WORKER_HOUR_PRICE, basis: 'nominal' }],
    [
      'blank: unset',
      { GLIMPSE_WORKER_HOUR_PRICE: ' ' },
      { dollarsPerHour: NOMINAL_WORKER_HOUR_PRICE, basis: 'nominal' },
    ],
    ['a price in dollars', { GLIMPSE_WORKER_HOUR_PRICE: '0.526' }, { dollarsPerHour: 0.526, basis: 'configured' }],
    ['zero: our own hardware', { GLIMPSE_WORKER_HOUR_PRICE: '0' }, { dollarsPerHour: 0, basis: 'configured' }],
  ])('%s', (_name, env, expected) => {
    expect(loadWorkerPrice(env)).toEqual(expected);
  });

  it.each([['-1'], ['cheap'], ['5000']])('refuses %s', (price) => {
    expect(() => loadWorkerPrice({ GLIMPSE_WORKER_HOUR_PRICE: price })).toThrow(ConfigError);
  });
});
