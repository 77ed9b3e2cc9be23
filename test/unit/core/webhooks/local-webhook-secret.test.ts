import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadWebhookConfig } from '#core/config/webhook-config.js';
import { localWebhookSecret, localWebhookSecretPath } from '#core/webhooks/local-webhook-secret.js';

describe('localWebhookSecret', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-secret-'));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it('generates a valid secret once, readable by its owner only, and keeps it', async () => {
    // Act
    const first = await localWebhookSecret(dataDir);
    const second = await localWebhookSecret(dataDir);
    // Assess
    expect(second).toBe(first);
    expect(loadWebhookConfig({ GLIMPSE_WEBHOOK_SECRET: first }).secret).toBe(first);
    expect((await stat(localWebhookSecretPath(dataDir))).mode & 0o777).toBe(0o600);
  });
});
