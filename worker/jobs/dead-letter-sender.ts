import { SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_REASON_ATTRIBUTE } from '#core/jobs/dead-letter-settler.js';

/** A reason is a line for whoever reads the dead-letter queue, not a dump of the error. */
const MAX_REASON_LENGTH = 1000;

/**
 * Moves messages that are not jobs straight to the dead-letter queue, with the reason, instead of
 * letting them fail every receive until the redrive policy moves them.
 */
export class DeadLetterSender {
  constructor(
    private readonly sqs: SQSClient,
    private readonly deadLetterQueueUrl: string,
  ) {}

  async send(message: Message, reason: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MessageBody: message.Body ?? '',
        MessageAttributes: {
          [DEAD_LETTER_REASON_ATTRIBUTE]: { DataType: 'String', StringValue: reason.slice(0, MAX_REASON_LENGTH) },
        },
      }),
    );
  }
}
