import { ConfigError } from '#core/errors.js';
import { loadWebhookConfig } from '#core/config/webhook-config.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('loadWebhookConfig', () => {
  it('defaults to no secret, public https destinations only, and a 30 s back-off base', () => {
    // Act
    const config = loadWebhookConfig({});
    // Assess
    expect(config).toEqual({
      destinations: { allowHttpLoopback: false, allowPrivate: false },
      retryBaseSeconds: 30,
    });
  });

  it('reads the secret and the destination settings', () => {
    // Act
    const config = loadWebhookConfig({
      GLIMPSE_WEBHOOK_SECRET: SECRET,
      GLIMPSE_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
      GLIMPSE_WEBHOOK_ALLOW_PRIVATE: '1',
      GLIMPSE_WEBHOOK_RETRY_BASE_SECONDS: '2',
    });
    // Assess
    expect(config).toEqual({
      destinations: { allowHttpLoopback: true, allowPrivate: true },
      secret: SECRET,
      retryBaseSeconds: 2,
    });
  });

  it.each([
    ['without the whsec_ prefix', Buffer.alloc(32).toString('base64')],
    ['not base64', 'whsec_not*base64'],
    ['too short to sign with', `whsec_${Buffer.alloc(8).toString('base64')}`],
  ])('refuses a secret %s', (_name, secret) => {
    // Act + Assess
    expect(() => loadWebhookConfig({ GLIMPSE_WEBHOOK_SECRET: secret })).toThrow(ConfigError);
  });
});
