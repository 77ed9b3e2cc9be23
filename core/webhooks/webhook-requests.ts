import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sendMessageBatches, type SendOutcome } from '../aws/message-batches.js';
import type { WebhookDelivery } from '../contracts/webhook-delivery.js';

/** A job whose webhook is owed, and where to. */
export interface WebhookRequest {
  readonly jobId: string;
  readonly url: string;
}

/**
 * Asks for a job's webhook delivery: one message on the webhook queue, which outlives the process
 * that ended the job. Call it once, after storing the job's ending first (`putResult(...).first`),
 * so that a job is announced once, with the ending that is stored.
 */
export class WebhookRequests {
  constructor(
    private readonly sqs: SQSClient,
    private readonly webhookQueueUrl: string,
  ) {}

  async request(jobId: string, url: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.webhookQueueUrl, MessageBody: bodyOf({ jobId, url }) }),
    );
  }

  /** Several requests, ten to a SendMessageBatch; one outcome per request, in order (`sent` or its error). */
  async requestAll(requests: readonly WebhookRequest[]): Promise<SendOutcome[]> {
    if (requests.length === 0) return [];
    return sendMessageBatches(this.sqs, this.webhookQueueUrl, requests.map(bodyOf));
  }
}

function bodyOf({ jobId, url }: WebhookRequest): string {
  const delivery: WebhookDelivery = { version: 1, jobId, url };
  return JSON.stringify(delivery);
}
