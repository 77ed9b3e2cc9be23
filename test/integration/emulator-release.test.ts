import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startEmulator, type Emulator } from '#local/emulator.js';

/**
 * The persisted emulator (the local stack's) must keep a released job: a visibility of 0 (the fleet
 * releasing a dead worker's jobs, a drain) once threw in fauxqs's SQLite write-through after the job
 * had left the in-flight map, so the job vanished from memory until the next restart.
 */
describe('the persisted emulator releasing received jobs', () => {
  let dataDir: string;
  let emulator: Emulator | undefined;
  let sqs: SQSClient | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-emulator-'));
  });

  afterEach(async () => {
    sqs?.destroy();
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<{ sqs: SQSClient; queueUrl: string }> {
    emulator = await startEmulator({ port: 0, dataDir, s3StorageDir: path.join(dataDir, 's3') });
    sqs = new SQSClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    return { sqs, queueUrl: QueueUrl! };
  }

  async function receiveAll(client: SQSClient, queueUrl: string) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 300,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return Messages;
  }

  it('offers released jobs again at once, with their receive count, and keeps them across a restart', async () => {
    // Prepare
    const first = await start();
    for (let n = 0; n < 12; n++)
      await first.sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody: `job-${n}` }));
    const held = [...(await receiveAll(first.sqs, first.queueUrl)), ...(await receiveAll(first.sqs, first.queueUrl))];
    expect(held).toHaveLength(12);

    // Act
    for (let start = 0; start < held.length; start += 10) {
      const { Failed = [] } = await first.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: first.queueUrl,
          Entries: held.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
            VisibilityTimeout: 0,
          })),
        }),
      );
      expect(Failed).toEqual([]);
    }
    const again = [...(await receiveAll(first.sqs, first.queueUrl)), ...(await receiveAll(first.sqs, first.queueUrl))];

    // Assess
    expect(again.map((message) => message.Body).sort()).toEqual(held.map((message) => message.Body).sort());
    expect(new Set(again.map((message) => message.Attributes?.ApproximateReceiveCount))).toEqual(new Set(['2']));
    sqs!.destroy();
    await emulator!.stop();
    emulator = undefined;
    const restarted = await start();
    // Still held (visibility 300 s) after the restart: nothing offered, nothing lost.
    expect(await receiveAll(restarted.sqs, restarted.queueUrl)).toEqual([]);
  });
});
