import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueuePolicy, ResourceNames } from '../config/resource-names.js';
import { isMissingObjectError } from './s3-errors.js';
import { QueueLookupError } from '../errors.js';

/** URLs of the shared queues once they exist. */
export interface ProvisionedQueues {
  readonly requestQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly webhookQueueUrl: string;
  readonly deadlineQueueUrl: string;
}

/**
 * Receives of one webhook delivery before it is dead-lettered. With the back-off between tries
 * (core/webhooks), the tries span about a day.
 */
export const WEBHOOK_MAX_RECEIVE_COUNT = 16;

const FOURTEEN_DAYS_SECONDS = 14 * 24 * 3600;

/**
 * Creates (idempotently) the request queue with its dead-letter queue, the webhook and deadline
 * queues, and the two buckets.
 * The embedded stack and the tests use this; on AWS the same resources come from serverless.yml.
 */
export async function provisionInfrastructure(
  clients: { sqs: SQSClient; s3: S3Client },
  names: ResourceNames,
  policy: QueuePolicy,
): Promise<ProvisionedQueues> {
  const deadLetterQueueUrl = await createQueue(clients.sqs, names.deadLetterQueue, {
    MessageRetentionPeriod: String(FOURTEEN_DAYS_SECONDS),
  });
  const deadLetterArn = await queueArn(clients.sqs, deadLetterQueueUrl);
  const requestAttributes = {
    VisibilityTimeout: String(policy.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(FOURTEEN_DAYS_SECONDS),
    ReceiveMessageWaitTimeSeconds: '20',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetterArn,
      maxReceiveCount: policy.maxReceiveCount,
    }),
  };
  const requestQueueUrl = await createQueue(clients.sqs, names.requestQueue, requestAttributes);
  // CreateQueue keeps an existing queue's attributes; apply the configured ones on every start.
  await clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: requestQueueUrl, Attributes: requestAttributes }));
  await Promise.all([createBucket(clients.s3, names.inputBucket), createBucket(clients.s3, names.outputBucket)]);
  return { requestQueueUrl, deadLetterQueueUrl, ...(await provisionJobEventQueues(clients.sqs, names)) };
}

/** The webhook delivery queue (with its dead-letter queue) and the deadline queue. */
async function provisionJobEventQueues(
  sqs: SQSClient,
  names: ResourceNames,
): Promise<Pick<ProvisionedQueues, 'webhookQueueUrl' | 'deadlineQueueUrl'>> {
  const webhookDeadLetterUrl = await createQueue(sqs, names.webhookDeadLetterQueue, {
    MessageRetentionPeriod: String(FOURTEEN_DAYS_SECONDS),
  });
  const webhookAttributes = {
    MessageRetentionPeriod: String(FOURTEEN_DAYS_SECONDS),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: await queueArn(sqs, webhookDeadLetterUrl),
      maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
    }),
  };
  const webhookQueueUrl = await createQueue(sqs, names.webhookQueue, webhookAttributes);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: webhookQueueUrl, Attributes: webhookAttributes }));
  const deadlineQueueUrl = await createQueue(sqs, names.deadlineQueue, {
    MessageRetentionPeriod: String(FOURTEEN_DAYS_SECONDS),
  });
  return { webhookQueueUrl, deadlineQueueUrl };
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (!QueueUrl) throw new QueueLookupError(`CreateQueue returned no URL for ${name}`);
    return QueueUrl;
  } catch (error) {
    // An existing queue with other attributes: use it; the caller re-applies what matters.
    if ((error as { name?: string }).name !== 'QueueNameExists') throw error;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    if (!QueueUrl) throw error;
    return QueueUrl;
  }
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new QueueLookupError(`no ARN for queue ${queueUrl}`);
  return arn;
}

async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!isMissingObjectError(error)) throw error;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}
