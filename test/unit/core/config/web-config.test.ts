import { ConfigError } from '#core/errors.js';
import { loadWebConfig } from '#core/config/web-config.js';

describe('loadWebConfig', () => {
  it('gives the documented defaults', () => {
    expect(loadWebConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      maxUploadBytes: 10 * 1024 * 1024,
      maxRequestBytes: 64 * 1024 * 1024,
      maxUploadBytesInFlight: 256 * 1024 * 1024,
      maxInputPixels: 40_000_000,
      defaultWaitSeconds: 20,
      cse546TimeoutSeconds: 300,
      model: 'mobilenetv2-12-int8',
      names: {
        requestQueue: 'glimpse-requests',
        deadLetterQueue: 'glimpse-requests-dlq',
        inputBucket: 'glimpse-input',
        outputBucket: 'glimpse-output',
        responseQueuePrefix: 'glimpse-responses-',
      },
    });
  });

  it.each([
    ['an unknown model', { GLIMPSE_MODEL: 'resnet9000' }],
    ['a bucket name with capitals', { GLIMPSE_INPUT_BUCKET: 'My_Bucket' }],
    ['a port out of range', { PORT: '70000' }],
    [
      'an upload budget smaller than one request (such a request could never start)',
      { GLIMPSE_MAX_REQUEST_BYTES: '1000', GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT: '999' },
    ],
  ])('rejects %s', (_name, env) => {
    expect(() => loadWebConfig(env)).toThrow(ConfigError);
  });
});
