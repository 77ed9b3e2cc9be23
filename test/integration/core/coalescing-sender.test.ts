import type { SQSClient } from '@aws-sdk/client-sqs';
import { CoalescingSender } from '#core/aws/coalescing-sender.js';
import { MessageRefusedError } from '#core/aws/message-batches.js';
import { GlimpseError } from '#core/errors.js';
import {
  createReplyQueue,
  queueCounts,
  startTestInfrastructure,
  type TestInfrastructure,
} from '../../support/infrastructure.js';

/** What a queue-URL lookup throws before the queue is known. */
class QueueUnknownError extends GlimpseError {}

/** The SQS client of the emulator, recording how many entries each SendMessageBatch carried. */
function countingSqs(sqs: SQSClient): { sqs: SQSClient; batchSizes: number[] } {
  const batchSizes: number[] = [];
  const counting = {
    send: (command: { input: { Entries?: unknown[] } }) => {
      batchSizes.push(command.input.Entries?.length ?? 0);
      return sqs.send(command as never);
    },
  };
  return { sqs: counting as unknown as SQSClient, batchSizes };
}

describe('CoalescingSender', () => {
  let infra: TestInfrastructure;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
  });
  afterAll(async () => infra.stop());

  it('sends a lone message at once, in a batch of one', async () => {
    // Prepare
    const queueUrl = await createReplyQueue(infra);
    const { sqs, batchSizes } = countingSqs(infra.clients.sqs);

    // Act
    const outcome = await new CoalescingSender(sqs, () => queueUrl).send('alone');

    // Assess
    expect(outcome).toBe('sent');
    expect(batchSizes).toEqual([1]);
    expect((await queueCounts(infra, queueUrl)).visible).toBe(1);
  });

  it('sends the messages of one turn ten to a call', async () => {
    // Prepare
    const queueUrl = await createReplyQueue(infra);
    const { sqs, batchSizes } = countingSqs(infra.clients.sqs);
    const sender = new CoalescingSender(sqs, () => queueUrl);

    // Act
    const outcomes = await Promise.all(Array.from({ length: 25 }, (_, n) => sender.send(`job-${n}`)));

    // Assess
    expect(outcomes.every((outcome) => outcome === 'sent')).toBe(true);
    expect(batchSizes).toEqual([10, 10, 5]);
    expect((await queueCounts(infra, queueUrl)).visible).toBe(25);
  });

  it('gathers what is sent while a batch is in flight into the next batch', async () => {
    // Prepare
    const queueUrl = await createReplyQueue(infra);
    const { sqs, batchSizes } = countingSqs(infra.clients.sqs);
    const sender = new CoalescingSender(sqs, () => queueUrl);
    const first = sender.send('first');
    await new Promise((resolve) => setImmediate(resolve));

    // Act: the first batch is on its way; seven more arrive one by one
    const later = Array.from({ length: 7 }, (_, n) => sender.send(`later-${n}`));
    await Promise.all([first, ...later]);

    // Assess
    expect(batchSizes).toEqual([1, 7]);
    expect((await queueCounts(infra, queueUrl)).visible).toBe(8);
  });

  it('gives a refused message its own error and sends the others', async () => {
    // Prepare
    const queueUrl = await createReplyQueue(infra);
    const sender = new CoalescingSender(infra.clients.sqs, () => queueUrl);

    // Act
    const outcomes = await sender.sendAll(['ok-1', 'bad \u0000 body', 'ok-2']);

    // Assess
    expect(outcomes[0]).toBe('sent');
    expect(outcomes[1]).toBeInstanceOf(MessageRefusedError);
    expect(outcomes[2]).toBe('sent');
  });

  it('fails every message of a batch whose queue is not known yet, without throwing', async () => {
    // Prepare
    const sender = new CoalescingSender(infra.clients.sqs, () => {
      throw new QueueUnknownError('no queue yet');
    });

    // Act
    const outcomes = await sender.sendAll(['a', 'b']);

    // Assess
    expect(outcomes.every((outcome) => outcome instanceof QueueUnknownError)).toBe(true);
  });
});
