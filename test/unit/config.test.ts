import os from 'node:os';
import { loadAwsConfig } from '#core/config/aws-config.js';
import { ConfigError } from '#core/errors.js';
import { loadStackConfig } from '#core/config/stack-config.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';

describe('config', () => {
  it('gives the documented defaults', () => {
    const web = loadWebConfig({});
    expect(web).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      maxUploadBytes: 10 * 1024 * 1024,
      defaultWaitSeconds: 20,
      legacyTimeoutSeconds: 300,
      model: 'mobilenetv2-12-int8',
      names: {
        requestQueue: 'glimpse-requests',
        deadLetterQueue: 'glimpse-requests-dlq',
        inputBucket: 'glimpse-input',
        outputBucket: 'glimpse-output',
        responseQueuePrefix: 'glimpse-responses-',
      },
    });
    const worker = loadWorkerConfig({}, 42);
    expect(worker).toMatchObject({
      receiveBatchSize: 10,
      pollWaitSeconds: 20,
      idleSeconds: 60,
      executionProvider: 'auto',
    });
    expect(worker.workerId).toMatch(/-42$/);
    expect(loadStackConfig({})).toMatchObject({
      emulatorPort: 4566,
      scaler: { policy: { minWorkers: 0, maxWorkers: os.availableParallelism(), tickSeconds: 1 } },
    });
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
    const error = (() => {
      try {
        loadWorkerConfig({ GLIMPSE_RECEIVE_BATCH: '11', GLIMPSE_IDLE_SECONDS: 'soon' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toHaveLength(2);
    expect((error as Error).message).toMatch(/GLIMPSE_RECEIVE_BATCH/);
    expect((error as Error).message).toMatch(/GLIMPSE_IDLE_SECONDS/);
  });

  it.each([
    ['an unknown model', { GLIMPSE_MODEL: 'resnet9000' }],
    ['a bucket name with capitals', { GLIMPSE_INPUT_BUCKET: 'My_Bucket' }],
    ['a port out of range', { PORT: '70000' }],
  ])('rejects %s', (_name, env) => {
    expect(() => loadWebConfig(env)).toThrow(ConfigError);
  });

  it('uses placeholder keys only with an endpoint override and no real keys', () => {
    expect(loadAwsConfig({}).credentials).toBeUndefined();
    expect(loadAwsConfig({ GLIMPSE_AWS_ENDPOINT: 'http://127.0.0.1:4566' }).credentials?.accessKeyId).toBe('glimpse');
    expect(
      loadAwsConfig({
        GLIMPSE_AWS_ENDPOINT: 'http://127.0.0.1:4566',
        AWS_ACCESS_KEY_ID: 'AK',
        AWS_SECRET_ACCESS_KEY: 'S',
      }).credentials?.accessKeyId,
    ).toBe('AK');
    expect(() => loadAwsConfig({ GLIMPSE_AWS_ENDPOINT: 'not a url' })).toThrow(ConfigError);
  });
});
