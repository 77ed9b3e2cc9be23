import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { observeQueue } from '#core/scaling/queue-observer.js';
import { createAwsClients, destroyAwsClients, type AwsClients } from '#core/aws/clients.js';
import { provisionInfrastructure, type ProvisionedQueues } from '#core/aws/provision.js';
import { loadAwsConfig } from '#core/config/aws-config.js';
import type { Env } from '#core/config/env-schema.js';
import { loadQueuePolicy, loadResourceNames, type ResourceNames } from '#core/config/resource-names.js';
import { JOB_MESSAGE_VERSION, type JobMessage } from '#core/contracts/job-message.js';
import { parseResultRecord, type ResultRecord } from '#core/contracts/result-record.js';
import { inputKeyFor, resultKeyFor } from '#core/storage/object-keys.js';
import { startEmulator, type Emulator } from '#local/emulator.js';
import { modelMirrorDir } from './paths.js';

/** A real emulator with the queues and buckets provisioned, and an env that points at it. */
export interface TestInfrastructure {
  readonly emulator: Emulator;
  readonly env: Env;
  readonly clients: AwsClients;
  readonly names: ResourceNames;
  readonly queues: ProvisionedQueues;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** `spy`: the emulator records what is sent and read (`emulator.server.spy`). */
export async function startTestInfrastructure(
  overrides: Env = {},
  { spy = false }: { readonly spy?: boolean } = {},
): Promise<TestInfrastructure> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-it-'));
  const emulator = await startEmulator({ port: 0, spy });
  const env: Env = {
    GLIMPSE_AWS_ENDPOINT: emulator.endpoint,
    GLIMPSE_DATA_DIR: dataDir,
    GLIMPSE_MODEL_MIRROR: modelMirrorDir(),
    GLIMPSE_MODEL_CACHE: path.join(dataDir, 'models'),
    GLIMPSE_EXECUTION_PROVIDER: 'cpu',
    ...overrides,
  };
  const clients = createAwsClients(loadAwsConfig(env));
  const names = loadResourceNames(env);
  const queues = await provisionInfrastructure(clients, names, loadQueuePolicy(env));
  return {
    emulator,
    env,
    clients,
    names,
    queues,
    dataDir,
    async stop() {
      destroyAwsClients(clients);
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Stores an image and sends its job the way the web tier does; returns the job. `replyTo` is the
 * reply queue's URL (as {@link createReplyQueue} returns it); the job names that queue.
 */
export async function submitJob(
  infra: TestInfrastructure,
  image: Uint8Array,
  options: { filename?: string; replyTo?: string } = {},
): Promise<JobMessage> {
  const jobId = randomUUID();
  const job: JobMessage = {
    version: JOB_MESSAGE_VERSION,
    jobId,
    filename: options.filename ?? `${jobId}.jpg`,
    submittedAt: new Date().toISOString(),
    ...(options.replyTo ? { replyQueue: new URL(options.replyTo).pathname.split('/').pop()! } : {}),
  };
  await infra.clients.s3.send(
    new PutObjectCommand({ Bucket: infra.names.inputBucket, Key: inputKeyFor(jobId), Body: image }),
  );
  await infra.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: infra.queues.requestQueueUrl, MessageBody: JSON.stringify(job) }),
  );
  return job;
}

/** Creates a reply queue inside the response-queue prefix. */
export async function createReplyQueue(infra: TestInfrastructure): Promise<string> {
  const { QueueUrl } = await infra.clients.sqs.send(
    new CreateQueueCommand({ QueueName: `${infra.names.responseQueuePrefix}test-${randomUUID().slice(0, 8)}` }),
  );
  return QueueUrl!;
}

/** Receives result records from a reply queue until `count` arrived or the deadline passes. */
export async function receiveResults(
  infra: TestInfrastructure,
  queueUrl: string,
  count: number,
  timeoutMs: number,
): Promise<ResultRecord[]> {
  const deadline = Date.now() + timeoutMs;
  const results: ResultRecord[] = [];
  while (results.length < count && Date.now() < deadline) {
    const { Messages } = await infra.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of Messages ?? []) results.push(parseResultRecord(message.Body));
  }
  return results;
}

/** The result record stored in the output bucket. */
export async function storedResult(infra: TestInfrastructure, jobId: string): Promise<ResultRecord> {
  const { Body } = await infra.clients.s3.send(
    new GetObjectCommand({ Bucket: infra.names.outputBucket, Key: resultKeyFor(jobId) }),
  );
  return parseResultRecord(await Body!.transformToString());
}

/** Visible and in-flight message counts of a queue (the scaler's own observation). */
export async function queueCounts(
  infra: TestInfrastructure,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> {
  const { visible, inFlight } = await observeQueue(infra.clients.sqs, queueUrl);
  return { visible, inFlight };
}

/** Polls `probe` until it returns a value or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until a queue holds no message, visible or in flight. */
export async function queueDrained(
  infra: TestInfrastructure,
  queueUrl: string,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  await eventually(
    async () => {
      const counts = await queueCounts(infra, queueUrl);
      return counts.visible + counts.inFlight === 0 ? true : undefined;
    },
    timeoutMs,
    what,
  );
}
