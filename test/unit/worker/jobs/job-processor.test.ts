import type { Message } from '@aws-sdk/client-sqs';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { silentLogger, type Logger } from '#core/logging/logger.js';
import type { AttemptClassifier } from '#worker/jobs/attempt.js';
import { JobProcessor, type JobProcessorDeps } from '#worker/jobs/job-processor.js';
import type { Reply, ReplyOutcome } from '#worker/jobs/reply-sender.js';
import { oneModel } from '../../../support/classifier.js';
import { recordingLogger } from '../../../support/logs.js';

const JOB_ID = '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11';
const REQUEST_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/glimpse-requests';
/** Where the job's reply queue is on the worker's own endpoint. */
const REPLY_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/glimpse-responses-a';
const job = {
  version: 2,
  jobId: JOB_ID,
  filename: 'cat.jpg',
  replyQueue: 'glimpse-responses-a',
  submittedAt: '2026-11-22T12:00:00.000Z',
};
const jobBody = JSON.stringify(job);
const message = (body: string, receiveCount: number): Message => ({
  MessageId: `m-${receiveCount}`,
  ReceiptHandle: 'r',
  Body: body,
  Attributes: { ApproximateReceiveCount: String(receiveCount) },
});

/** Fakes for the storage, publisher and classifier; everything they are asked is recorded. */
function harness(overrides: {
  readInput?: () => Promise<Uint8Array | undefined>;
  readPixels?: () => Promise<Uint8Array | undefined>;
  /** What the store answers a put with: the body it holds (default: the record put). */
  storedBody?: string;
  classify?: AttemptClassifier['classify'];
  storedResult?: string;
  /** What replying answers (default: sent). */
  replyOutcome?: ReplyOutcome | Error;
  /** What requesting a webhook delivery answers (default: sent). */
  webhookOutcome?: 'sent' | Error;
  log?: Logger;
}) {
  const stored: ResultRecord[] = [];
  const replies: Reply[] = [];
  const deadLettered: string[] = [];
  const webhookRequests: Array<{ jobId: string; url: string }> = [];
  let classified = 0;
  const deps: JobProcessorDeps = {
    store: {
      readInput: overrides.readInput ?? (async () => undefined),
      readPixels: overrides.readPixels ?? (async () => undefined),
      readResult: async () => overrides.storedResult,
      putResult: async (record) => {
        stored.push(record);
        return overrides.storedBody
          ? { body: overrides.storedBody, first: false }
          : { body: JSON.stringify(record), first: true };
      },
    },
    replies: {
      sendAll: async (batch) => {
        replies.push(...batch);
        return batch.map(() => overrides.replyOutcome ?? 'sent');
      },
    },
    models: oneModel({
      modelName: 'mobilenetv2-12-int8',
      classify: async (images) => {
        classified++;
        if (overrides.classify) return overrides.classify(images);
        throw new Error('not expected in these cases');
      },
    }),
    maxInputPixels: 1_000_000,
    workerId: 'w1',
    responseQueuePrefix: 'glimpse-responses-',
    requestQueueUrl: REQUEST_QUEUE_URL,
    maxReceiveCount: 3,
    deadLetters: {
      send: async (m, reason) => {
        deadLettered.push(`${m.MessageId}: ${reason}`);
      },
    },
    webhooks: {
      requestAll: async (requests) => {
        webhookRequests.push(...requests);
        return requests.map(() => overrides.webhookOutcome ?? 'sent');
      },
    },
    log: overrides.log ?? silentLogger(),
  };
  return {
    processor: new JobProcessor(deps),
    stored,
    replies,
    deadLettered,
    webhookRequests,
    classified: () => classified,
  };
}

const connectionReset = async (): Promise<Uint8Array> => {
  throw new Error('socket hang up');
};

describe('JobProcessor failure handling', () => {
  it('retries a transient failure before the last try, publishing nothing', async () => {
    // Prepare
    const h = harness({ readInput: connectionReset });
    // Act
    const outcome = await h.processor.process([message(jobBody, 2)]);
    // Assess
    expect(outcome.retry.map((m) => m.MessageId)).toEqual(['m-2']);
    expect(outcome.acknowledged).toEqual([]);
    expect(h.stored).toEqual([]);
  });

  it('logs a failure with the job and message ids as fields', async () => {
    // Prepare
    const { logger, records } = recordingLogger('worker');
    const h = harness({ readInput: connectionReset, log: logger });
    // Act
    await h.processor.process([message(jobBody, 2)]);
    // Assess
    expect(records).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'reading the job failed; job will be retried',
        jobId: JOB_ID,
        messageId: 'm-2',
        error: 'Error: socket hang up',
      }),
    ]);
  });

  it('answers failed (retries_exhausted) on the last allowed try and acknowledges', async () => {
    // Prepare
    const h = harness({ readInput: connectionReset });
    // Act
    const outcome = await h.processor.process([message(jobBody, 3)]);
    // Assess
    expect(outcome.acknowledged.map((m) => m.MessageId)).toEqual(['m-3']);
    expect(h.stored).toHaveLength(1);
    expect(h.stored[0]).toMatchObject({ jobId: JOB_ID, status: 'failed', failure: { code: 'retries_exhausted' } });
    expect(h.stored[0]!.status === 'failed' && h.stored[0]!.failure.message).toContain('socket hang up');
    expect(h.replies).toEqual([{ queueUrl: REPLY_QUEUE_URL, body: JSON.stringify(h.stored[0]) }]);
  });

  it('answers a missing input with failed (input_missing) at once', async () => {
    // Prepare
    const h = harness({ readInput: async () => undefined });
    // Act
    const outcome = await h.processor.process([message(jobBody, 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(h.stored[0]).toMatchObject({ status: 'failed', failure: { code: 'input_missing' } });
  });

  it('acknowledges a stored result whose reply queue is gone: the result stays readable by id', async () => {
    // Prepare
    const h = harness({ readInput: async () => undefined, replyOutcome: 'gone' });
    // Act
    const outcome = await h.processor.process([message(jobBody, 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(outcome.retry).toEqual([]);
    expect(outcome.published.map((record) => record.jobId)).toEqual([JOB_ID]);
  });

  it('on redelivery of a job whose result is stored, only replies again: no work, no overwrite', async () => {
    // Prepare
    const h = harness({ storedResult: '{"stored":true}', readInput: connectionReset });
    // Act
    const outcome = await h.processor.process([message(jobBody, 2)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(h.replies).toEqual([{ queueUrl: REPLY_QUEUE_URL, body: '{"stored":true}' }]);
    expect(h.stored).toEqual([]);
    expect(h.classified()).toBe(0);
  });

  it('retries, without overwriting, when replying a stored result fails before the last try', async () => {
    // Prepare
    const h = harness({
      storedResult: '{"stored":true}',
      replyOutcome: new Error('throttled'),
    });
    // Act
    const early = await h.processor.process([message(jobBody, 2)]);
    const last = await h.processor.process([message(jobBody, 3)]);
    // Assess
    expect(early.retry).toHaveLength(1);
    expect(last.acknowledged).toHaveLength(1);
    expect(h.stored).toEqual([]);
  });

  it('moves a message that is not a job to the dead-letter queue and acknowledges it', async () => {
    // Prepare
    const h = harness({});
    // Act
    const outcome = await h.processor.process([message('{"hello":"world"}', 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(h.deadLettered).toHaveLength(1);
    expect(h.deadLettered[0]).toMatch(/^m-1: job body is not a v2 job/);
  });
});

describe('JobProcessor with forged jobs', () => {
  it.each([
    ['a reply queue outside the response-queue prefix', { ...job, replyQueue: 'glimpse-requests-dlq' }, /outside/],
    [
      'a reply queue given as a URL',
      { ...job, replyQueue: 'https://evil.example/1/glimpse-responses-a' },
      /replyQueue/,
    ],
    ['an over-long file name', { ...job, filename: 'x'.repeat(256) }, /filename/],
    ['an oversized body', { ...job, padding: 'x'.repeat(10_000) }, /bytes, over the 8192 allowed/],
  ])('dead-letters a job with %s, with the reason, and does nothing else', async (_, forged, reason) => {
    // Prepare
    let inputsRead = 0;
    const h = harness({
      readInput: async () => {
        inputsRead++;
        return undefined;
      },
    });
    // Act
    const outcome = await h.processor.process([message(JSON.stringify(forged), 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(h.deadLettered).toEqual([expect.stringMatching(reason)]);
    expect(inputsRead).toBe(0);
    expect(h.stored).toEqual([]);
    expect(h.replies).toEqual([]);
  });

  it("replies to a v1 job's reply queue on the worker's own endpoint, never on the host the job names", async () => {
    // Prepare
    const h = harness({ readInput: async () => undefined });
    const { replyQueue: _name, ...common } = job;
    const v1 = { ...common, version: 1, replyTo: 'http://attacker.example/666/glimpse-responses-a', inputKey: 'x/y' };
    // Act
    const outcome = await h.processor.process([message(JSON.stringify(v1), 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(h.replies.map((reply) => reply.queueUrl)).toEqual([REPLY_QUEUE_URL]);
  });
});

describe('JobProcessor with pixels stored by the web tier', () => {
  const side = 224;
  const pixels = new Uint8Array(side * side * 3).fill(7);
  const withPixels = (contract: { size: number; resize: number }) =>
    JSON.stringify({ ...JSON.parse(jobBody), pixels: contract });
  /** A classifier that records the images it was given and calls each a tench. */
  const recordingClassifier = (seen: Uint8Array[]) => async (images: readonly Uint8Array[]) => {
    seen.push(...images);
    const prediction = { label: 'tench', wnid: 'n01440764', index: 0, confidence: 0.9, top5: [] };
    return { predictions: images.map(() => prediction), inferenceMs: images.map(() => 1), batchSizes: [1] };
  };

  it('classifies the stored pixels as they are, without reading the original', async () => {
    // Prepare
    const seen: Uint8Array[] = [];
    let originalsRead = 0;
    const h = harness({
      readPixels: async () => pixels,
      readInput: async () => {
        originalsRead++;
        return undefined;
      },
      classify: recordingClassifier(seen),
    });
    // Act
    const outcome = await h.processor.process([message(withPixels({ size: 224, resize: 256 }), 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(seen).toEqual([pixels]);
    expect(originalsRead).toBe(0);
    expect(h.stored[0]).toMatchObject({ status: 'done', timings: { preprocessMs: 0 } });
  });

  it.each([
    ["cut to another model's contract", { size: 299, resize: 342 }, pixels],
    ['of the wrong length', { size: 224, resize: 256 }, pixels.subarray(1)],
    ['missing', { size: 224, resize: 256 }, undefined],
  ])('decodes the original when the pixels are %s', async (_, contract, stored) => {
    // Prepare
    let originalsRead = 0;
    const h = harness({
      readPixels: async () => stored,
      readInput: async () => {
        originalsRead++;
        return undefined;
      },
    });
    // Act
    await h.processor.process([message(withPixels(contract), 1)]);
    // Assess
    expect(originalsRead).toBe(1);
    expect(h.classified()).toBe(0);
    expect(h.stored[0]).toMatchObject({ status: 'failed', failure: { code: 'input_missing' } });
  });
});

describe('JobProcessor when an earlier attempt stored the result first', () => {
  it('replies the stored result, not its own, and does not count it as published again', async () => {
    // Prepare
    const earlier = JSON.stringify({ jobId: JOB_ID, status: 'failed', workerId: 'earlier-worker' });
    const h = harness({ readInput: async () => undefined, storedBody: earlier });
    // Act
    const outcome = await h.processor.process([message(jobBody, 1)]);
    // Assess
    expect(h.replies).toEqual([{ queueUrl: REPLY_QUEUE_URL, body: earlier }]);
    expect(outcome.acknowledged).toHaveLength(1);
    expect(outcome.published).toEqual([]);
  });
});

describe('JobProcessor with jobs ended early', () => {
  it('expires a job received past its deadline without reading or classifying it', async () => {
    // Prepare
    const late = JSON.stringify({ ...job, deadline: '2026-11-22T12:00:05.000Z' });
    const h = harness({ readInput: connectionReset });
    // Act
    const outcome = await h.processor.process([message(late, 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(h.stored).toEqual([expect.objectContaining({ jobId: JOB_ID, status: 'expired', workerId: 'w1' })]);
    expect(h.replies).toEqual([{ queueUrl: REPLY_QUEUE_URL, body: JSON.stringify(h.stored[0]) }]);
    expect(h.classified()).toBe(0);
  });

  it('answers a job whose input is gone with its stored ending (canceled), not input_missing', async () => {
    // Prepare: the web tier canceled it, and requested its webhook itself
    const canceled = JSON.stringify({ jobId: JOB_ID, status: 'canceled' });
    const withWebhook = JSON.stringify({ ...job, webhook: 'https://hooks.example.com/glimpse' });
    const h = harness({ readInput: async () => undefined, storedResult: canceled });
    // Act
    const outcome = await h.processor.process([message(withWebhook, 1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(outcome.published).toEqual([]);
    expect(h.replies).toEqual([{ queueUrl: REPLY_QUEUE_URL, body: canceled }]);
    expect(h.stored).toEqual([]);
    expect(h.webhookRequests).toEqual([]);
    expect(h.classified()).toBe(0);
  });
});

describe('JobProcessor with a webhook', () => {
  const webhookJobBody = JSON.stringify({ ...job, webhook: 'https://hooks.example.com/glimpse' });

  it('requests the delivery once after storing the ending first, then replies and acknowledges', async () => {
    // Prepare
    const h = harness({ readInput: async () => undefined });
    // Act
    const outcome = await h.processor.process([message(webhookJobBody, 1)]);
    // Assess
    expect(h.webhookRequests).toEqual([{ jobId: JOB_ID, url: 'https://hooks.example.com/glimpse' }]);
    expect(outcome.acknowledged).toHaveLength(1);
    expect(h.replies).toHaveLength(1);
  });

  it('requests nothing for a job without a webhook, nor when an earlier attempt stored the ending first', async () => {
    // Prepare
    const plain = harness({ readInput: async () => undefined });
    const second = harness({ readInput: async () => undefined, storedBody: '{"stored":true}' });
    // Act
    await plain.processor.process([message(jobBody, 1)]);
    await second.processor.process([message(webhookJobBody, 1)]);
    // Assess
    expect(plain.webhookRequests).toEqual([]);
    expect(second.webhookRequests).toEqual([]);
  });

  it('hands the job back, unreplied, when requesting fails before the last try; the redelivery asks again', async () => {
    // Prepare
    const failing = harness({ readInput: async () => undefined, webhookOutcome: new Error('throttled') });
    const redelivered = harness({ storedResult: '{"stored":true}' });
    // Act
    const first = await failing.processor.process([message(webhookJobBody, 1)]);
    const again = await redelivered.processor.process([message(webhookJobBody, 2)]);
    // Assess
    expect(first.retry).toHaveLength(1);
    expect(first.acknowledged).toEqual([]);
    expect(failing.replies).toEqual([]);
    expect(again.acknowledged).toHaveLength(1);
    expect(redelivered.webhookRequests).toEqual([{ jobId: JOB_ID, url: 'https://hooks.example.com/glimpse' }]);
  });

  it('keeps the ending and acknowledges when requesting fails on the last try', async () => {
    // Prepare
    const h = harness({ readInput: async () => undefined, webhookOutcome: new Error('throttled') });
    // Act
    const outcome = await h.processor.process([message(webhookJobBody, 3)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(outcome.retry).toEqual([]);
    expect(h.replies).toHaveLength(1);
  });
});
