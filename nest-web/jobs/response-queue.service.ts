import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CreateQueueCommand, DeleteQueueCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { parseResultRecord } from '#core/contracts/result-record.js';
import type { WebConfig } from '#core/config/web-config.js';
import { SQS_CLIENT, WEB_CONFIG } from '../aws/tokens.js';
import { ResultWaiter } from './result-waiter.service.js';

/** Results stay this long in a response queue; they are in the output bucket anyway. */
const RESPONSE_RETENTION_SECONDS = 3600;

/**
 * This process's own response queue: created at start under a unique name, consumed by one
 * long-poll loop that hands results to {@link ResultWaiter}, deleted at a clean shutdown.
 */
@Injectable()
export class ResponseQueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ResponseQueueService.name);
  private consumer: Consumer | undefined;
  private url: string | undefined;
  private stopping = false;

  constructor(
    @Inject(SQS_CLIENT) private readonly sqs: SQSClient,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
    private readonly waiter: ResultWaiter,
  ) {}

  /** URL of this process's response queue (named in every job it sends). */
  get queueUrl(): string {
    if (!this.url) throw new Error('response queue not created yet');
    return this.url;
  }

  async onModuleInit(): Promise<void> {
    const name = `${this.config.names.responseQueuePrefix}${this.config.instanceId}`;
    const { QueueUrl } = await this.sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { MessageRetentionPeriod: String(RESPONSE_RETENTION_SECONDS) },
        tags: { app: 'glimpse', role: 'response-queue', instance: this.config.instanceId },
      }),
    );
    if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
    this.url = QueueUrl;
    this.consumer = Consumer.create({
      queueUrl: QueueUrl,
      sqs: this.sqs,
      batchSize: 10,
      waitTimeSeconds: 20,
      handleMessageBatch: async (messages) => this.handle(messages),
      strictReturn: true,
    });
    this.consumer.on('error', (error) => {
      if (!this.stopping) this.logger.warn(`response queue: ${error.message}`);
    });
    this.consumer.start();
    this.logger.log(`response queue ${name} ready`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.consumer) {
      const stopped = new Promise<void>((resolve) => this.consumer!.once('stopped', () => resolve()));
      this.consumer.stop({ abort: true });
      await stopped;
    }
    if (this.url) {
      await this.sqs.send(new DeleteQueueCommand({ QueueUrl: this.url })).catch((error: Error) => {
        this.logger.warn(`could not delete response queue: ${error.message}`);
      });
    }
  }

  private async handle(messages: Message[]): Promise<Message[]> {
    for (const message of messages) {
      try {
        this.waiter.deliver(parseResultRecord(message.Body));
      } catch (error) {
        this.logger.warn(`dropping a malformed result message: ${(error as Error).message}`);
      }
    }
    // Every message is consumed: results nobody waits for remain readable in the output bucket.
    return messages;
  }
}
