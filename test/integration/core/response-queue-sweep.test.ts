import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { LAST_SEEN_TAG, sweepResponseQueues, touchResponseQueue } from '#core/aws/response-queues.js';
import { startTestInfrastructure, type TestInfrastructure } from '../../support/infrastructure.js';

describe('sweepResponseQueues against the emulator', () => {
  let infra: TestInfrastructure;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
  });
  afterAll(async () => infra.stop());

  async function createQueue(name: string, lastSeen?: number): Promise<string> {
    const { QueueUrl } = await infra.clients.sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        ...(lastSeen === undefined ? {} : { tags: { [LAST_SEEN_TAG]: String(lastSeen) } }),
      }),
    );
    return QueueUrl!;
  }

  it('deletes only the response queues of processes gone longer than the idle time', async () => {
    // Prepare
    const prefix = infra.names.responseQueuePrefix;
    const now = Date.now();
    const alive = await createQueue(`${prefix}alive`, now - 120_000);
    const crashed = await createQueue(`${prefix}crashed`, now - 7_200_000);
    const touchedAgain = await createQueue(`${prefix}touched-again`, now - 7_200_000);
    await touchResponseQueue(infra.clients.sqs, touchedAgain, now);
    const untagged = await createQueue(`${prefix}untagged`);
    const other = await createQueue('someone-elses-queue', now - 7_200_000);

    // Act
    const report = await sweepResponseQueues(infra.clients.sqs, prefix, 900, now);

    // Assess
    expect(report).toEqual({ deleted: [crashed], failed: [] });
    const { QueueUrls } = await infra.clients.sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls).toEqual(expect.arrayContaining([alive, touchedAgain, untagged, other]));
    expect(QueueUrls).not.toContain(crashed);
  });
});
