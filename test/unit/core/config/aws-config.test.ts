import { loadAwsConfig } from '#core/config/aws-config.js';
import { ConfigError } from '#core/errors.js';

describe('loadAwsConfig', () => {
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
  });

  it('rejects an endpoint that is not a URL', () => {
    expect(() => loadAwsConfig({ GLIMPSE_AWS_ENDPOINT: 'not a url' })).toThrow(ConfigError);
  });
});
