import { ConfigError } from '#core/errors.js';
import { loadQueuePolicy, loadResourceNames } from '#core/config/resource-names.js';

describe('loadResourceNames', () => {
  it('names the queues and buckets of the embedded stack by default', () => {
    expect(loadResourceNames({})).toEqual({
      requestQueue: 'glimpse-requests',
      deadLetterQueue: 'glimpse-requests-dlq',
      responseQueuePrefix: 'glimpse-responses-',
      inputBucket: 'glimpse-input',
      outputBucket: 'glimpse-output',
      webhookQueue: 'glimpse-webhooks',
      webhookDeadLetterQueue: 'glimpse-webhooks-dlq',
      deadlineQueue: 'glimpse-deadlines',
    });
  });

  // A forged job may name any queue inside the response-queue prefix as its reply queue.
  it.each([
    ['the request queue', { GLIMPSE_REQUEST_QUEUE: 'glimpse-responses-requests' }, 'GLIMPSE_REQUEST_QUEUE'],
    ['the dead-letter queue', { GLIMPSE_RESPONSE_QUEUE_PREFIX: 'glimpse-' }, 'GLIMPSE_DEAD_LETTER_QUEUE'],
    ['the webhook queue', { GLIMPSE_WEBHOOK_QUEUE: 'glimpse-responses-hooks' }, 'GLIMPSE_WEBHOOK_QUEUE'],
  ])('refuses %s inside the response-queue prefix', (_name, env, variable) => {
    expect(() => loadResourceNames(env)).toThrow(ConfigError);
    expect(() => loadResourceNames(env)).toThrow(variable);
  });
});

describe('loadQueuePolicy', () => {
  it('sends a dead-lettered job back twice by default, and takes 0 for never', () => {
    expect(loadQueuePolicy({}).deadLetterRedrives).toBe(2);
    expect(loadQueuePolicy({ GLIMPSE_DEAD_LETTER_REDRIVES: '0' }).deadLetterRedrives).toBe(0);
    expect(() => loadQueuePolicy({ GLIMPSE_DEAD_LETTER_REDRIVES: '-1' })).toThrow(ConfigError);
  });
});
