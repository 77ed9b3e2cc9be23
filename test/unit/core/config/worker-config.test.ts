import { ConfigError } from '#core/errors.js';
import { batchWindowMsFor, loadWorkerConfig } from '#core/config/worker-config.js';

describe('loadWorkerConfig', () => {
  it('gives the documented defaults', () => {
    const worker = loadWorkerConfig({}, 42);
    expect(worker).toMatchObject({
      receiveBatchSize: 10,
      pollWaitSeconds: 20,
      idleSeconds: 60,
      executionProvider: 'auto',
    });
    expect(worker.workerId).toMatch(/-42$/);
  });

  it('reads overrides, treating blank values as unset', () => {
    const worker = loadWorkerConfig({
      GLIMPSE_IDLE_SECONDS: '10',
      GLIMPSE_RECEIVE_BATCH: ' ',
      GLIMPSE_EXECUTION_PROVIDER: 'cpu',
    });
    expect(worker).toMatchObject({ idleSeconds: 10, receiveBatchSize: 10, executionProvider: 'cpu' });
  });

  it('lists every invalid value at once', () => {
    // Act
    const error = (() => {
      try {
        loadWorkerConfig({ GLIMPSE_RECEIVE_BATCH: '11', GLIMPSE_IDLE_SECONDS: 'soon' });
      } catch (e) {
        return e;
      }
    })();
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toHaveLength(2);
    expect((error as Error).message).toMatch(/GLIMPSE_RECEIVE_BATCH/);
    expect((error as Error).message).toMatch(/GLIMPSE_IDLE_SECONDS/);
  });

  describe('GLIMPSE_BATCH_WINDOW_MS', () => {
    it.each([
      ['unset: 5 ms on CUDA', {}, 'cuda', 5],
      ['unset: off on the CPU', {}, 'cpu', 0],
      ['blank counts as unset', { GLIMPSE_BATCH_WINDOW_MS: ' ' }, 'cuda', 5],
      ['0 turns it off on CUDA too', { GLIMPSE_BATCH_WINDOW_MS: '0' }, 'cuda', 0],
      ['set on the CPU', { GLIMPSE_BATCH_WINDOW_MS: '2' }, 'cpu', 2],
    ] as const)('%s', (_name, env, executionProvider, expected) => {
      // Act
      const windowMs = batchWindowMsFor(loadWorkerConfig(env), executionProvider);
      // Assess
      expect(windowMs).toBe(expected);
    });

    it.each(['1001', '-1', '2.5', 'soon'])('refuses %s', (value) => {
      expect(() => loadWorkerConfig({ GLIMPSE_BATCH_WINDOW_MS: value })).toThrow(/GLIMPSE_BATCH_WINDOW_MS/);
    });
  });
});
