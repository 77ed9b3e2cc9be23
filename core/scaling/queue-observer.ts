import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDepth } from './scaling-types.js';

/** Reads the request queue's depth (visible, in flight, delayed). */
export async function observeQueue(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  // Missing values stay NaN: decide() treats them as unknown and says so.
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages ?? NaN),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? NaN),
    delayed: Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? NaN),
  };
}
