import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { MessageRefusedError } from '#core/aws/message-batches.js';
import { ReplySender } from '#worker/jobs/reply-sender.js';

const QUEUE_A = 'http://sqs.us-east-1.localhost:4566/000000000000/glimpse-responses-a';
const QUEUE_B = 'http://sqs.us-east-1.localhost:4566/000000000000/glimpse-responses-b';

function sqsQueues() {
  const sqs = new SQSClient({ region: 'us-east-1' });
  return { sqs, mock: mockClient(sqs) };
}

describe('ReplySender', () => {
  it('sends each reply to its own queue, batched per queue, and nothing where nobody waits', async () => {
    // Prepare
    const { sqs, mock } = sqsQueues();
    mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const replies = [
      { queueUrl: QUEUE_A, body: 'a1' },
      { queueUrl: undefined, body: 'nobody' },
      { queueUrl: QUEUE_B, body: 'b1' },
      { queueUrl: QUEUE_A, body: 'a2' },
    ];
    // Act
    const outcomes = await new ReplySender(sqs).sendAll(replies);
    // Assess
    expect(outcomes).toEqual(['sent', 'none', 'sent', 'sent']);
    const sent = mock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => [input.QueueUrl, input.Entries?.map((entry) => entry.MessageBody)])).toEqual([
      [QUEUE_A, ['a1', 'a2']],
      [QUEUE_B, ['b1']],
    ]);
  });

  it('reports a vanished reply queue as gone, not as an error', async () => {
    // Prepare
    const { sqs, mock } = sqsQueues();
    mock
      .on(SendMessageBatchCommand, { QueueUrl: QUEUE_A })
      .rejects(Object.assign(new Error('no such queue'), { name: 'QueueDoesNotExist' }));
    mock.on(SendMessageBatchCommand, { QueueUrl: QUEUE_B }).rejects(new Error('throttled'));
    // Act
    const outcomes = await new ReplySender(sqs).sendAll([
      { queueUrl: QUEUE_A, body: 'a1' },
      { queueUrl: QUEUE_B, body: 'b1' },
    ]);
    // Assess
    expect(outcomes[0]).toBe('gone');
    expect(outcomes[1]).toEqual(new Error('throttled'));
  });

  it('gives a refused entry its own error and sends the others', async () => {
    // Prepare
    const { sqs, mock } = sqsQueues();
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: '' }],
      Failed: [{ Id: '1', Code: 'InvalidMessageContents', SenderFault: true }],
    });
    // Act
    const outcomes = await new ReplySender(sqs).sendAll([
      { queueUrl: QUEUE_A, body: 'a1' },
      { queueUrl: QUEUE_A, body: 'a2' },
    ]);
    // Assess
    expect(outcomes[0]).toBe('sent');
    expect(outcomes[1]).toBeInstanceOf(MessageRefusedError);
    expect(outcomes[1]).toMatchObject({ code: 'InvalidMessageContents' });
  });
});
