import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueLookupError } from '../errors.js';

/** Looks a queue's URL up by name. */
export async function queueUrlFor(sqs: SQSClient, queueName: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  if (!QueueUrl) throw new QueueLookupError(`SQS returned no URL for queue ${queueName}`);
  return QueueUrl;
}

/** True when an SDK error says the queue does not exist (any protocol's spelling). */
export function isMissingQueueError(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
}
