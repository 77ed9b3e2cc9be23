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
      model: { models: ['mobilenetv2-12-int8'], model: 'mobilenetv2-12-int8' },
      names: {
        requestQueue: 'glimpse-requests',
        deadLetterQueue: 'glimpse-requests-dlq',
        inputBucket: 'glimpse-input',
        outputBucket: 'glimpse-output',
        responseQueuePrefix: 'glimpse-responses-',
      },
      edge: { apiKeyDigests: [], cse546RequiresKey: false, requestsPerMinute: 0, imagesPerMinute: 0 },
    });
  });

  it.each([
    ['a model name that could point outside the model dir', { GLIMPSE_MODEL: '../resnet9000' }],
    ['a bucket name with capitals', { GLIMPSE_INPUT_BUCKET: 'My_Bucket' }],
    ['a port out of range', { PORT: '70000' }],
    [
      'an upload budget smaller than one request (such a request could never start)',
      { GLIMPSE_MAX_REQUEST_BYTES: '1000', GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT: '999' },
    ],
    [
      'an image cap a request of the most files could never fit in',
      { GLIMPSE_MAX_FILES: '8', GLIMPSE_IMAGES_PER_MINUTE: '7' },
    ],
    ['an API key given instead of its digest', { GLIMPSE_API_KEYS: 'my-secret-key' }],
  ])('rejects %s', (_name, env) => {
    expect(() => loadWebConfig(env)).toThrow(ConfigError);
  });
});
