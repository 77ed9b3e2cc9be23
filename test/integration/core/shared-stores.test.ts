import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { MessageRefusedError, sendMessageBatches } from '#core/aws/message-batches.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { JobStore } from '#core/storage/job-store.js';
import {
  createReplyQueue,
  queueCounts,
  startTestInfrastructure,
  type TestInfrastructure,
} from '../../support/infrastructure.js';

/** The two stores both tiers share, against the real emulator. */
describe('JobStore and sendMessageBatches', () => {
  let infra: TestInfrastructure;
  let store: JobStore;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    store = new JobStore(infra.clients.s3, infra.names);
  });
  afterAll(async () => infra.stop());

  it('keeps an upload by job id with its display name and submission time', async () => {
    // Prepare
    const jobId = randomUUID();
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]);

    // Act
    await store.putInput(
      jobId,
      { filename: 'über cat%.jpg', mimeType: 'image/jpeg', bytes },
      '2026-12-01T00:00:00.000Z',
    );

    // Assess
    expect(await store.readInput(jobId)).toEqual(bytes);
    expect(await store.readInputInfo(jobId)).toEqual({
      filename: 'über cat%.jpg',
      submittedAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('reads an absent upload or result as undefined', async () => {
    const jobId = randomUUID();
    expect(await store.readInput(jobId)).toBeUndefined();
    expect(await store.readInputInfo(jobId)).toBeUndefined();
    expect(await store.readResult(jobId)).toBeUndefined();
  });

  it('stores a result record and returns the body it stored', async () => {
    // Prepare
    const record = failedRecord(randomUUID());

    // Act
    const { body, first } = await store.putResult(record);

    // Assess
    expect(first).toBe(true);
    expect(JSON.parse(body)).toEqual(record);
    expect(await store.readResult(record.jobId)).toBe(body);
  });

  it('keeps the first result of a job: a later attempt gets that one back and overwrites nothing', async () => {
    // Prepare
    const jobId = randomUUID();
    const earlier = await store.putResult(failedRecord(jobId));
    const later = { ...failedRecord(jobId), workerId: 'worker-2' };

    // Act
    const returned = await store.putResult(later);

    // Assess
    expect(returned).toEqual({ body: earlier.body, first: false });
    expect(JSON.parse((await store.readResult(jobId))!)).toMatchObject({ workerId: 'worker-1' });
  });

  it('sends 23 messages in three batches, in order of the outcomes', async () => {
    // Prepare
    const queueUrl = await createReplyQueue(infra);
    const bodies = Array.from({ length: 23 }, (_, index) => JSON.stringify({ index }));

    // Act
    const outcomes = await sendMessageBatches(infra.clients.sqs, queueUrl, bodies);

    // Assess
    expect(outcomes).toEqual(bodies.map(() => 'sent'));
    expect((await queueCounts(infra, queueUrl)).visible).toBe(23);
    const { Messages } = await infra.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages?.every((message) => bodies.includes(message.Body ?? ''))).toBe(true);
  });

  it('gives each entry of a refused or failed call its own error, the others stay sent', async () => {
    // Prepare: SQS refuses an entry with characters outside its allowed set; a missing queue fails the whole call.
    const queueUrl = await createReplyQueue(infra);
    // The refused entry sits in the second batch, so its outcome must land at its own index.
    const bodies = [...Array.from({ length: 11 }, (_, index) => `ok-${index}`), 'bad \u0000 body', 'ok-12'];

    // Act
    const refused = await sendMessageBatches(infra.clients.sqs, queueUrl, bodies);
    const missing = await sendMessageBatches(infra.clients.sqs, `${queueUrl}-gone`, ['a', 'b']);

    // Assess
    expect(refused[11]).toBeInstanceOf(MessageRefusedError);
    expect(refused.filter((outcome) => outcome === 'sent')).toHaveLength(12);
    expect(missing.every((outcome) => outcome instanceof Error && !(outcome instanceof MessageRefusedError))).toBe(
      true,
    );
  });
});

function failedRecord(jobId: string): ResultRecord {
  return {
    version: 1,
    jobId,
    filename: 'cat.jpg',
    model: 'mobilenetv2-12-int8',
    workerId: 'worker-1',
    status: 'failed',
    failure: { code: 'undecodable_image', message: 'not an image' },
    timings: {
      submittedAt: '2026-12-01T00:00:00.000Z',
      completedAt: '2026-12-01T00:00:01.000Z',
      queueWaitMs: 1,
      downloadMs: 1,
      preprocessMs: 1,
      inferenceMs: 0,
      batchSize: 0,
      totalMs: 1000,
    },
  };
}
