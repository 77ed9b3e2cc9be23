import type { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  createResponseQueue,
  LAST_SEEN_TAG,
  replyQueueUrl,
  ReplyQueueNameError,
  staleResponseQueues,
  type ResponseQueueView,
} from '#core/aws/response-queues.js';

const NOW = 1_000_000_000;
const IDLE_MS = 900_000;

describe('staleResponseQueues', () => {
  it.each<[string, ResponseQueueView, boolean]>([
    ['touched a minute ago: its process is alive', { url: 'q', lastSeen: NOW - 60_000 }, false],
    ['untouched for longer than the idle time: its process is gone', { url: 'q', lastSeen: NOW - 901_000 }, true],
    ['exactly at the idle time: kept', { url: 'q', lastSeen: NOW - IDLE_MS }, false],
    ['no tag, created long ago: an old process that never touched it', { url: 'q', createdAt: NOW - 3_600_000 }, true],
    ['no tag, just created: kept', { url: 'q', createdAt: NOW - 5_000 }, false],
    ['the tag wins over the creation time', { url: 'q', lastSeen: NOW - 1_000, createdAt: NOW - 3_600_000 }, false],
    ['neither timestamp: nothing says it is stale', { url: 'q' }, false],
  ])('%s', (_, queue, stale) => {
    expect(staleResponseQueues([queue], NOW, IDLE_MS)).toEqual(stale ? ['q'] : []);
  });
});

describe('replyQueueUrl', () => {
  it.each([
    [
      'on AWS: same endpoint and account',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/glimpse-requests',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/glimpse-responses-a',
    ],
    [
      'on the emulator: same host and port',
      'http://127.0.0.1:4566/000000000000/glimpse-requests',
      'http://127.0.0.1:4566/000000000000/glimpse-responses-a',
    ],
    [
      'a query or fragment on the request URL is not carried over',
      'http://127.0.0.1:4566/000000000000/glimpse-requests?x=1#y',
      'http://127.0.0.1:4566/000000000000/glimpse-responses-a',
    ],
  ])('%s', (_, requestQueueUrl, expected) => {
    expect(replyQueueUrl(requestQueueUrl, 'glimpse-responses-a')).toBe(expected);
  });

  it.each([
    ['a URL', 'http://evil.example/000000000000/glimpse-responses-a'],
    ['a protocol-relative host', '//evil.example/q'],
    ['a path', '../123456789012/glimpse-responses-a'],
    ['an encoded slash', 'glimpse-responses-a%2F..'],
    ['an empty name', ''],
    ['a name over 80 characters', 'q'.repeat(81)],
  ])('refuses %s', (_, name) => {
    expect(() => replyQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/glimpse-requests', name)).toThrow(
      ReplyQueueNameError,
    );
  });
});

describe('createResponseQueue', () => {
  it('creates the queue encrypted at rest with SQS-managed keys, tagged as touched now', async () => {
    // Prepare
    const sent: unknown[] = [];
    const sqs = {
      send: async (command: CreateQueueCommand) => {
        sent.push(command.input);
        return { QueueUrl: 'http://127.0.0.1:4566/000000000000/glimpse-responses-a' };
      },
    } as unknown as SQSClient;
    // Act
    const url = await createResponseQueue(sqs, 'glimpse-responses-a', { role: 'response-queue' }, NOW);
    // Assess
    expect(url).toBe('http://127.0.0.1:4566/000000000000/glimpse-responses-a');
    expect(sent).toEqual([
      {
        QueueName: 'glimpse-responses-a',
        Attributes: { MessageRetentionPeriod: '3600', SqsManagedSseEnabled: 'true' },
        tags: { role: 'response-queue', [LAST_SEEN_TAG]: String(NOW) },
      },
    ]);
  });
});
