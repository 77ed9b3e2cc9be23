import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { JOB_MESSAGE_VERSION, type JobMessage } from '#core/contracts/job-message.js';
import {
  DEAD_LETTER_REASON_ATTRIBUTE,
  DeadLetterSettler,
  REDRIVES_ATTRIBUTE,
  SETTLER_ID,
} from '#core/jobs/dead-letter-settler.js';
import { silentLogger } from '#core/logging/logger.js';
import { JobStore } from '#core/storage/job-store.js';
import { WebhookRequests } from '#core/webhooks/webhook-requests.js';
import {
  createReplyQueue,
  receiveResults,
  startTestInfrastructure,
  storedResult,
  type TestInfrastructure,
} from '../../support/infrastructure.js';

/** Jobs SQS moved to the dead-letter queue are sent back a few times, then answered; none is left unanswered. */
describe('DeadLetterSettler against the emulator', () => {
  let infra: TestInfrastructure;
  let store: JobStore;

  beforeAll(async () => {
    // One receive without a delete is enough for SQS to dead-letter a job at the next receive.
    infra = await startTestInfrastructure({ GLIMPSE_MAX_RECEIVE_COUNT: '1' });
    store = new JobStore(infra.clients.s3, infra.names);
  });
  afterAll(async () => infra.stop());

  function settler(redrives = 2): DeadLetterSettler {
    return new DeadLetterSettler({
      sqs: infra.clients.sqs,
      store,
      requestQueueUrl: infra.queues.requestQueueUrl,
      deadLetterQueueUrl: infra.queues.deadLetterQueueUrl,
      responseQueuePrefix: infra.names.responseQueuePrefix,
      redrives,
      defaultModel: 'mobilenetv2-12-int8',
      webhooks: new WebhookRequests(infra.clients.sqs, infra.queues.webhookQueueUrl),
      log: silentLogger(),
    });
  }

  function job(replyQueueUrl?: string): JobMessage {
    return {
      version: JOB_MESSAGE_VERSION,
      jobId: randomUUID(),
      filename: 'cat.jpg',
      submittedAt: new Date().toISOString(),
      ...(replyQueueUrl ? { replyQueue: replyQueueUrl.split('/').pop()! } : {}),
    };
  }

  async function deadLetter(body: string, attributes: Record<string, string> = {}): Promise<void> {
    await infra.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: infra.queues.deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [
            name,
            { DataType: name === REDRIVES_ATTRIBUTE ? 'Number' : 'String', StringValue: value },
          ]),
        ),
      }),
    );
  }

  async function receive(queueUrl: string, visibility = 0): Promise<Message[]> {
    const { Messages = [] } = await infra.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: visibility,
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages;
  }

  it('sends a job every worker dropped back to the request queue, counting the trip', async () => {
    // Prepare: the job is received once and never deleted (its worker was killed)
    const dropped = job();
    await infra.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: infra.queues.requestQueueUrl, MessageBody: JSON.stringify(dropped) }),
    );
    expect(await receive(infra.queues.requestQueueUrl)).toHaveLength(1);
    expect(await receive(infra.queues.requestQueueUrl)).toEqual([]); // the redrive policy moved it

    // Act
    const report = await settler().settle();

    // Assess
    expect(report).toEqual({ redriven: [dropped.jobId], lost: [], alreadyDone: [], left: 0 });
    const [back] = await receive(infra.queues.requestQueueUrl, 30);
    expect(JSON.parse(back!.Body!)).toEqual(dropped);
    expect(back!.MessageAttributes?.[REDRIVES_ATTRIBUTE]?.StringValue).toBe('1');
    expect(await receive(infra.queues.deadLetterQueueUrl)).toEqual([]);
  });

  it('answers a job out of redrives worker_lost: stored, and sent to its reply queue', async () => {
    // Prepare
    const replyQueue = await createReplyQueue(infra);
    const lost = job(replyQueue);
    await deadLetter(JSON.stringify(lost), { [REDRIVES_ATTRIBUTE]: '2' });

    // Act
    const report = await settler(2).settle();

    // Assess
    expect(report).toEqual({ redriven: [], lost: [lost.jobId], alreadyDone: [], left: 0 });
    const stored = await storedResult(infra, lost.jobId);
    expect(stored).toMatchObject({
      jobId: lost.jobId,
      status: 'failed',
      workerId: SETTLER_ID,
      failure: { code: 'worker_lost' },
    });
    expect(await receiveResults(infra, replyQueue, 1, 5_000)).toEqual([stored]);
    expect(await receive(infra.queues.deadLetterQueueUrl)).toEqual([]);
  });

  it('requests the webhook of a job it answers worker_lost, once', async () => {
    // Prepare
    const lost = { ...job(), webhook: 'https://hooks.example.com/glimpse' };
    await deadLetter(JSON.stringify(lost), { [REDRIVES_ATTRIBUTE]: '2' });

    // Act
    await settler(2).settle();

    // Assess
    const requested = await receive(infra.queues.webhookQueueUrl, 30);
    expect(requested.map((message) => JSON.parse(message.Body!))).toEqual([
      { version: 1, jobId: lost.jobId, url: 'https://hooks.example.com/glimpse' },
    ]);
  });

  it('only deletes a job whose result is stored, and leaves what is not a job for a person', async () => {
    // Prepare: the job was answered already, and SQS dead-lettered a late copy of it
    const replyQueue = await createReplyQueue(infra);
    const done = job(replyQueue);
    await deadLetter(JSON.stringify(done), { [REDRIVES_ATTRIBUTE]: '2' });
    await settler(2).settle();
    const answered = await storedResult(infra, done.jobId);
    expect(await receiveResults(infra, replyQueue, 1, 5_000)).toEqual([answered]);
    await deadLetter(JSON.stringify(done));
    await deadLetter('{"not":"a job"}', { [DEAD_LETTER_REASON_ATTRIBUTE]: 'not a job: jobId missing' });
    await deadLetter('also not JSON');

    // Act
    const report = await settler(2).settle();

    // Assess
    expect(report).toEqual({ redriven: [], lost: [], alreadyDone: [done.jobId], left: 2 });
    expect(await storedResult(infra, done.jobId)).toEqual(answered);
    expect(await receiveResults(infra, replyQueue, 1, 1_500)).toEqual([]);
    expect(await receive(infra.queues.requestQueueUrl)).toEqual([]);
    // Left in the dead-letter queue, hidden for hours rather than read again at every tick.
    expect(await receive(infra.queues.deadLetterQueueUrl)).toEqual([]);
    expect(await settler().settle()).toEqual({ redriven: [], lost: [], alreadyDone: [], left: 0 });
  });
});
