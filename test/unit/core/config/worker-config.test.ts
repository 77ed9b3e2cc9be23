import { ConfigError } from '#core/errors.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';

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
});
