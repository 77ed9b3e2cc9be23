import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { createLocalhostHandler, type SpyMessage } from 'fauxqs';
import { loadAwsConfig } from '#core/config/aws-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { JobStore } from '#core/storage/job-store.js';
import { inputKeyFor } from '#core/storage/object-keys.js';
import { WebhookRequests } from '#core/webhooks/webhook-requests.js';
import { DeadLetterSender } from '#worker/jobs/dead-letter-sender.js';
import { JobProcessor, type BatchOutcome } from '#worker/jobs/job-processor.js';
import { ReplySender } from '#worker/jobs/reply-sender.js';
import { oneModel } from '../support/classifier.js';
import { readPhoto } from '../support/images.js';
import {
  createReplyQueue,
  receiveResults,
  startTestInfrastructure,
  type TestInfrastructure,
} from '../support/infrastructure.js';

/**
 * Stands in for any host a forged job might name (`attacker.example`, which the worker's client
 * below resolves to this machine): it records every request that reaches it.
 */
interface ForeignHost {
  readonly origin: string;
  readonly requests: string[];
  close(): Promise<void>;
}

async function startForeignHost(): Promise<ForeignHost> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(500).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://attacker.example:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A worker's job processor with its SQS client as on AWS: no endpoint override, so the SDK sends
 * each call to the host its queue URL names (`useQueueUrlAsEndpoint`). A reply sent wherever a job
 * said would reach that host. Every host name resolves to this machine (the emulator's queue URLs
 * name `sqs.<region>.localhost`); storage, queues and the dead-letter queue are the emulator's.
 */
function workerAsOnAws(infra: TestInfrastructure): {
  processor: JobProcessor;
  sqs: SQSClient;
  classified: () => number;
} {
  const { region, credentials } = loadAwsConfig(infra.env);
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const sqs = new SQSClient({
    region,
    ...(credentials ? { credentials } : {}),
    requestHandler: createLocalhostHandler(),
    logger: quiet,
  });
  let classified = 0;
  const processor = new JobProcessor({
    store: new JobStore(infra.clients.s3, infra.names),
    replies: new ReplySender(sqs),
    models: oneModel({
      modelName: 'mobilenetv2-12-int8',
      classify: async () => {
        classified++;
        throw new Error('no forged job gets this far');
      },
    }),
    maxInputPixels: 40_000_000,
    workerId: 'forged-jobs',
    responseQueuePrefix: infra.names.responseQueuePrefix,
    requestQueueUrl: infra.queues.requestQueueUrl,
    maxReceiveCount: 5,
    deadLetters: new DeadLetterSender(sqs, infra.queues.deadLetterQueueUrl),
    webhooks: new WebhookRequests(sqs, infra.queues.webhookQueueUrl),
    log: silentLogger(),
  });
  return { processor, sqs, classified: () => classified };
}

/** Sends raw job bodies to the request queue, then has the worker process them as one receive. */
async function sendAndProcess(
  infra: TestInfrastructure,
  processor: JobProcessor,
  bodies: readonly string[],
): Promise<BatchOutcome> {
  for (const body of bodies) {
    await infra.clients.sqs.send(new SendMessageCommand({ QueueUrl: infra.queues.requestQueueUrl, MessageBody: body }));
  }
  const messages: Message[] = [];
  while (messages.length < bodies.length) {
    const { Messages } = await infra.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: infra.queues.requestQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    messages.push(...(Messages ?? []));
  }
  return processor.process(messages);
}

/** The dead-lettered bodies and their reasons. */
async function deadLettered(infra: TestInfrastructure, count: number): Promise<Array<[string, string]>> {
  const found: Array<[string, string]> = [];
  for (let tries = 0; found.length < count && tries < 10; tries++) {
    const { Messages } = await infra.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: infra.queues.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    for (const message of Messages ?? []) {
      found.push([message.Body!, message.MessageAttributes?.['glimpse-dead-letter-reason']?.StringValue ?? '']);
    }
  }
  return found;
}

const jobId = () => randomUUID();
const submittedAt = () => new Date().toISOString();

describe('forged jobs against a worker and the real emulator', () => {
  let infra: TestInfrastructure;
  let foreign: ForeignHost;
  let worker: ReturnType<typeof workerAsOnAws>;
  /** What the emulator saw: every queue message sent and every object read. */
  const events = (): SpyMessage[] => infra.emulator.server.spy.getAllMessages();

  beforeAll(async () => {
    infra = await startTestInfrastructure({}, { spy: true });
    foreign = await startForeignHost();
    worker = workerAsOnAws(infra);
  });
  afterAll(async () => {
    worker?.sqs.destroy();
    await foreign?.close();
    await infra?.stop();
  });
  beforeEach(() => infra.emulator.server.spy.clear());

  it("answers a v1 job whose reply URL names a foreign host on the worker's own endpoint; the host hears nothing", async () => {
    // Prepare
    const replyQueueUrl = await createReplyQueue(infra);
    const replyQueue = new URL(replyQueueUrl).pathname.split('/').pop()!;
    const id = jobId();
    const v1 = {
      version: 1,
      jobId: id,
      inputKey: inputKeyFor(id),
      filename: 'gone.jpg',
      replyTo: `${foreign.origin}/000000000000/${replyQueue}`,
      submittedAt: submittedAt(),
    };
    // Act
    const outcome = await sendAndProcess(infra, worker.processor, [JSON.stringify(v1)]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    const [reply] = await receiveResults(infra, replyQueueUrl, 1, 5_000);
    expect(reply).toMatchObject({ jobId: id, status: 'failed', failure: { code: 'input_missing' } });
    expect(foreign.requests).toEqual([]);
  });

  it.each([
    ['a URL on a foreign host', (origin: string) => `${origin}/000000000000/glimpse-responses-x`],
    ['a path climbing out of the account', () => '../000000000000/glimpse-responses-x'],
    ['a name with a path after it', () => 'glimpse-responses-x/../../evil'],
    ['a name with user info and a host', (origin: string) => `glimpse-responses-x@${new URL(origin).host}`],
    ['a protocol-relative host', (origin: string) => `//${new URL(origin).host}/glimpse-responses-x`],
    ['a queue outside the response-queue prefix', () => 'glimpse-requests-dlq'],
  ])('dead-letters a job whose reply queue is %s, and sends nothing anywhere else', async (_, replyQueueFor) => {
    // Prepare
    const job = { version: 2, jobId: jobId(), filename: 'x.jpg', replyQueue: replyQueueFor(foreign.origin) };
    const body = JSON.stringify({ ...job, submittedAt: submittedAt() });
    // Act
    const outcome = await sendAndProcess(infra, worker.processor, [body]);
    // Assess
    expect(outcome.acknowledged).toHaveLength(1);
    expect(await deadLettered(infra, 1)).toEqual([[body, expect.stringMatching(/replyQueue|reply queue/)]]);
    expect(foreign.requests).toEqual([]);
    const sentTo = events().flatMap((event) =>
      event.service === 'sqs' && event.status === 'published' ? [event.queueName] : [],
    );
    expect(sentTo).toEqual([infra.names.requestQueue, infra.names.deadLetterQueue]);
    expect(events().filter((event) => event.service === 's3')).toEqual([]);
  });

  it("never reads the object a job names as its input: only the job id's upload", async () => {
    // Prepare
    const secretKey = 'secrets/payroll.jpg';
    await infra.clients.s3.send(
      new PutObjectCommand({
        Bucket: infra.names.inputBucket,
        Key: secretKey,
        Body: await readPhoto('n01882714_koala.JPEG'),
      }),
    );
    const v1 = { version: 1, jobId: jobId(), inputKey: secretKey, filename: 'a.jpg', submittedAt: submittedAt() };
    const v2 = { version: 2, jobId: jobId(), inputKey: secretKey, filename: 'b.jpg', submittedAt: submittedAt() };
    // Act
    const outcome = await sendAndProcess(infra, worker.processor, [JSON.stringify(v1), JSON.stringify(v2)]);
    // Assess
    expect(
      outcome.published.map((record) => [record.jobId, record.status === 'failed' && record.failure.code]),
    ).toEqual(
      expect.arrayContaining([
        [v1.jobId, 'input_missing'],
        [v2.jobId, 'input_missing'],
      ]),
    );
    expect(worker.classified()).toBe(0);
    const read = events().flatMap((event) =>
      event.service === 's3' && event.status === 'downloaded' ? [event.key] : [],
    );
    expect(read).not.toContain(secretKey);
  });

  it('dead-letters jobs with oversized fields or bodies, with the reason, and does nothing else', async () => {
    // Prepare
    const base = { version: 2, jobId: jobId(), filename: 'x.jpg', submittedAt: submittedAt() };
    const forged = [
      JSON.stringify({ ...base, filename: 'x'.repeat(300) }),
      JSON.stringify({ ...base, padding: 'x'.repeat(200_000) }),
      JSON.stringify({ ...base, replyQueue: `${infra.names.responseQueuePrefix}${'x'.repeat(100)}` }),
      JSON.stringify({ ...base, submittedAt: `2026-01-01T00:00:00.${'0'.repeat(100)}Z` }),
      JSON.stringify({ ...base, pixels: { size: 1e9, resize: 1e9 } }),
    ];
    // Act
    const outcome = await sendAndProcess(infra, worker.processor, forged);
    // Assess
    expect(outcome.acknowledged).toHaveLength(forged.length);
    const dead = await deadLettered(infra, forged.length);
    expect(dead.map(([body]) => body).sort()).toEqual([...forged].sort());
    const reasons = new Map(dead);
    expect(reasons.get(forged[0]!)).toMatch(/filename/);
    expect(reasons.get(forged[1]!)).toMatch(/bytes, over the 8192 allowed/);
    expect(reasons.get(forged[2]!)).toMatch(/replyQueue/);
    expect(reasons.get(forged[3]!)).toMatch(/submittedAt/);
    expect(reasons.get(forged[4]!)).toMatch(/pixels/);
    const sentTo = new Set(
      events().flatMap((event) => (event.service === 'sqs' && event.status === 'published' ? [event.queueName] : [])),
    );
    expect(sentTo).toEqual(new Set([infra.names.requestQueue, infra.names.deadLetterQueue]));
    expect(events().filter((event) => event.service === 's3')).toEqual([]);
    expect(foreign.requests).toEqual([]);
  });
});
