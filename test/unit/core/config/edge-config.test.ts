import { loadEdgeConfig } from '#core/config/edge-config.js';
import { ConfigError } from '#core/errors.js';

const DIGEST = 'c'.repeat(64);

describe('loadEdgeConfig', () => {
  it('asks for no key and limits nothing by default (the local stack)', () => {
    expect(loadEdgeConfig({}, 64)).toEqual({
      apiKeyDigests: [],
      cse546RequiresKey: false,
      requestsPerMinute: 0,
      imagesPerMinute: 0,
    });
  });

  it('limits 120 requests and 600 images a minute once keys are configured', () => {
    expect(loadEdgeConfig({ GLIMPSE_API_KEYS: DIGEST }, 64)).toMatchObject({
      apiKeyDigests: [DIGEST],
      requestsPerMinute: 120,
      imagesPerMinute: 600,
    });
  });

  it('takes limits set explicitly, with or without keys (0: none)', () => {
    expect(
      loadEdgeConfig(
        { GLIMPSE_API_KEYS: DIGEST, GLIMPSE_REQUESTS_PER_MINUTE: '0', GLIMPSE_IMAGES_PER_MINUTE: '90' },
        64,
      ),
    ).toMatchObject({ requestsPerMinute: 0, imagesPerMinute: 90 });
    expect(loadEdgeConfig({ GLIMPSE_REQUESTS_PER_MINUTE: '5' }, 64)).toMatchObject({ requestsPerMinute: 5 });
  });

  it.each([
    ['loopback', 'loopback'],
    ['2', 2],
    [' 10.0.0.0/8, ::1 ,loopback', '10.0.0.0/8,::1,loopback'],
    ['fd00::/8', 'fd00::/8'],
  ])('trusts the proxies %j', (value, expected) => {
    expect(loadEdgeConfig({ GLIMPSE_TRUST_PROXY: value }, 64).trustProxy).toEqual(expected);
  });

  it.each([
    ['a POST / lock without any key', { GLIMPSE_CSE546_REQUIRES_KEY: 'true' }],
    ['an image cap below the files of one request', { GLIMPSE_IMAGES_PER_MINUTE: '10' }],
    ['trusting every proxy (any client could name its own address)', { GLIMPSE_TRUST_PROXY: 'true' }],
    ['a proxy that is no address', { GLIMPSE_TRUST_PROXY: 'nginx.local' }],
    ['a prefix too long for IPv4', { GLIMPSE_TRUST_PROXY: '10.0.0.0/33' }],
    ['a negative limit', { GLIMPSE_REQUESTS_PER_MINUTE: '-1' }],
  ])('refuses %s', (_story, env) => {
    expect(() => loadEdgeConfig(env, 64)).toThrow(ConfigError);
  });
});
