import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { JobEndings } from '#core/jobs/job-endings.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { silentLogger } from '#core/logging/logger.js';
import type { JobInputInfo } from '#core/storage/job-store.js';

const JOB_ID = '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11';
const REQUEST_QUEUE_URL = 'http://sqs.test/000000000000/glimpse-requests';
const NOW = Date.parse('2026-12-01T12:00:10.000Z');
const upload: JobInputInfo = {
  filename: 'cat.jpg',
  submittedAt: '2026-12-01T12:00:00.000Z',
  webhook: 'https://hooks.example/glimpse',
  replyQueue: 'glimpse-responses-other',
};

/** An in-memory job store with the one-ending rule, a recording SQS and webhook queue. */
function harness(
  options: { input?: JobInputInfo; stored?: ResultRecord; waitingHere?: boolean; webhookFailures?: number } = {},
) {
  let webhookFailures = options.webhookFailures ?? 0;
  let stored = options.stored;
  let input = options.input;
  const replies: Array<{ queueUrl?: string; body?: string }> = [];
  const webhooks: Array<[string, string]> = [];
  const answeredHere: ResultRecord[] = [];
  const endings = new JobEndings({
    store: {
      readResult: async () => stored && JSON.stringify(stored),
      readInputInfo: async () => input,
      putResult: async (record) => {
        if (stored) return { body: JSON.stringify(stored), first: false };
        stored = record;
        return { body: JSON.stringify(record), first: true };
      },
      deleteInput: async () => void (input = undefined),
    },
    sqs: {
      send: async (command: SendMessageCommand) =>
        void replies.push({ queueUrl: command.input.QueueUrl, body: command.input.MessageBody }),
    } as unknown as SQSClient,
    requestQueueUrl: () => REQUEST_QUEUE_URL,
    webhooks: {
      request: async (jobId, url) => {
        if (webhookFailures-- > 0) throw new Error('SQS unavailable');
        webhooks.push([jobId, url]);
      },
    },
    answerHere: (record) => (options.waitingHere ? (answeredHere.push(record), true) : false),
    endedBy: 'web:unit',
    defaultModel: 'mobilenetv2-12-int8',
    log: silentLogger(),
    now: () => NOW,
  });
  return { endings, replies, webhooks, answeredHere, input: () => input };
}

const failed: ResultRecord = {
  version: 1,
  jobId: JOB_ID,
  filename: 'cat.jpg',
  model: 'mobilenetv2-12-int8',
  workerId: 'w1',
  status: 'failed',
  failure: { code: 'undecodable_image', message: 'cannot decode image' },
  timings: {
    submittedAt: '2026-12-01T12:00:00.000Z',
    completedAt: '2026-12-01T12:00:01.000Z',
    queueWaitMs: 500,
    downloadMs: 1,
    preprocessMs: 1,
    inferenceMs: 0,
    batchSize: 0,
    totalMs: 1000,
  },
};

describe('JobEndings', () => {
  it('cancels a job: stores the ending, deletes its input, replies to its waiter and requests its webhook', async () => {
    // Prepare
    const h = harness({ input: upload });
    // Act
    const outcome = await h.endings.end(JOB_ID, 'canceled');
    // Assess
    expect(outcome).toEqual({
      kind: 'ended',
      record: expect.objectContaining({
        jobId: JOB_ID,
        filename: 'cat.jpg',
        status: 'canceled',
        model: 'mobilenetv2-12-int8',
        workerId: 'web:unit',
        timings: expect.objectContaining({ queueWaitMs: 10_000, totalMs: 10_000 }),
      }),
    });
    expect(h.input()).toBeUndefined();
    expect(h.replies).toEqual([
      {
        queueUrl: 'http://sqs.test/000000000000/glimpse-responses-other',
        body: JSON.stringify(outcome.kind === 'ended' && outcome.record),
      },
    ]);
    expect(h.webhooks).toEqual([[JOB_ID, 'https://hooks.example/glimpse']]);
  });

  it('answers a request waiting in this process directly, not through the queue', async () => {
    // Prepare
    const h = harness({ input: upload, waitingHere: true });
    // Act
    await h.endings.end(JOB_ID, 'expired');
    // Assess
    expect(h.answeredHere.map((record) => record.status)).toEqual(['expired']);
    expect(h.replies).toEqual([]);
  });

  it('leaves a job that has an ending as it is: no delete, no reply, no webhook', async () => {
    // Prepare
    const h = harness({ input: upload, stored: failed });
    // Act
    const outcome = await h.endings.end(JOB_ID, 'canceled');
    // Assess
    expect(outcome).toEqual({ kind: 'ended-before', record: failed });
    expect(h.input()).toBe(upload);
    expect(h.replies).toEqual([]);
    expect(h.webhooks).toEqual([]);
  });

  it('ends a job once: the second cancel finds the first ending', async () => {
    // Prepare
    const h = harness({ input: upload });
    const first = await h.endings.end(JOB_ID, 'canceled');
    // Act
    const second = await h.endings.end(JOB_ID, 'canceled');
    // Assess
    expect(second).toEqual({ kind: 'ended-before', record: first.kind === 'ended' ? first.record : undefined });
    expect(h.webhooks).toHaveLength(1);
  });

  it('keeps the upload when the webhook could not be requested, and requests it when the job is ended again', async () => {
    // Prepare
    const h = harness({ input: upload, webhookFailures: 1 });
    await expect(h.endings.end(JOB_ID, 'expired')).rejects.toThrow('SQS unavailable');
    expect(h.input()).toBe(upload);
    // Act: the deadline check comes back (or the client sends DELETE again)
    const again = await h.endings.end(JOB_ID, 'expired');
    // Assess
    expect(again).toEqual({ kind: 'ended-before', record: expect.objectContaining({ status: 'expired' }) });
    expect(h.webhooks).toEqual([[JOB_ID, upload.webhook]]);
    expect(h.input()).toBeUndefined();
  });

  it('knows no job without an upload or an ending', async () => {
    expect(await harness().endings.end(JOB_ID, 'canceled')).toEqual({ kind: 'unknown' });
  });
});
