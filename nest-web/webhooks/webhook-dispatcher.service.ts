import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Consumer } from 'sqs-consumer';
import { isMissingQueueError, queueUrlFor } from '#core/aws/queues.js';
import { webhookDeliverySchema } from '#core/contracts/webhook-delivery.js';
import { describeError } from '#core/errors.js';
import { WebhookDeliveryError } from '#core/webhooks/errors.js';
import { webhookRetryDelaySeconds } from '#core/webhooks/webhook-backoff.js';
import { WEBHOOK_TIMEOUT_MS } from '#core/webhooks/webhook-post.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookSettings } from './webhook-settings.js';
import { stopConsumer } from '../queues/stop-consumer.js';

/** A delivery stays hidden this long while it is tried: the POST's timeout plus the reads around it. */
const DELIVERY_LEASE_SECONDS = Math.ceil(WEBHOOK_TIMEOUT_MS / 1000) + 50;

/**
 * Consumes the webhook queue (any web process may; the queue, not this process, holds what is owed):
 * a delivered or refused delivery is deleted; a failed one is hidden for its back-off
 * (30 s × 2^(tries−1), capped at 4 h) and SQS moves it to the webhook dead-letter queue after 16 tries.
 * It does not start without a signing secret: then no webhook is accepted either.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnApplicationShutdown {
  private consumer: Consumer | undefined;
  private stopping = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly settings: WebhookSettings,
    private readonly deliveries: WebhookDeliveryService,
    @InjectPinoLogger(WebhookDispatcher.name) private readonly logger: PinoLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.settings.config.secret) {
      this.logger.info('no GLIMPSE_WEBHOOK_SECRET: webhooks are refused and not dispatched by this process');
      return;
    }
    const queueUrl = await this.queueUrl();
    if (!queueUrl) return;
    const consumer = (this.consumer = Consumer.create({
      queueUrl,
      sqs: this.sqs,
      batchSize: 10,
      waitTimeSeconds: 20,
      visibilityTimeout: DELIVERY_LEASE_SECONDS,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      handleMessage: async (message) => this.handle(message),
      terminateVisibilityTimeout: ([message]) => this.retryDelayOf(message),
      strictReturn: true,
    }));
    consumer.on('error', (error) => {
      if (!this.stopping) this.logger.warn({ error: describeError(error) }, 'webhook queue poll failed');
    });
    // Failed tries are logged by `handle`; the consumer then applies the back-off.
    consumer.on('processing_error', () => undefined);
    consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await stopConsumer(this.consumer);
  }

  private async queueUrl(): Promise<string | undefined> {
    try {
      return await queueUrlFor(this.sqs, this.settings.queueName);
    } catch (error) {
      if (!isMissingQueueError(error)) throw error;
      this.logger.error(
        { queue: this.settings.queueName },
        'the webhook queue does not exist: webhooks are not dispatched',
      );
      return undefined;
    }
  }

  /** One try; returns the message (deleted) when it is done with, throws (kept, backed off) to retry. */
  private async handle(message: Message): Promise<Message> {
    const parsed = webhookDeliverySchema.safeParse(safeJson(message.Body));
    if (!parsed.success) {
      this.logger.error({ messageId: message.MessageId }, 'malformed webhook delivery dropped');
      return message;
    }
    const attempt = receiveCountOf(message);
    try {
      await this.deliveries.deliver(parsed.data, attempt);
      return message;
    } catch (error) {
      const status = error instanceof WebhookDeliveryError ? error.status : undefined;
      const retryInSeconds = this.retryDelayOf(message);
      this.logger.warn(
        { jobId: parsed.data.jobId, status, attempt, retryInSeconds, error: describeError(error) },
        'webhook delivery failed; retried later',
      );
      throw error;
    }
  }

  private retryDelayOf(message: Message | undefined): number {
    return webhookRetryDelaySeconds(receiveCountOf(message), this.settings.config.retryBaseSeconds);
  }
}

function receiveCountOf(message: Message | undefined): number {
  const count = Number(message?.Attributes?.ApproximateReceiveCount ?? 1);
  return Number.isInteger(count) && count > 0 ? count : 1;
}

function safeJson(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
}
