import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DeleteQueueCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Consumer } from 'sqs-consumer';
import { createResponseQueue, RESPONSE_QUEUE_TOUCH_MS, touchResponseQueue } from '#core/aws/response-queues.js';
import { parseResultRecord } from '#core/contracts/result-record.js';
import { describeError } from '#core/errors.js';
import { WebConfigService } from '../config/web-config.service.js';
import { QueueNotReadyError } from '../errors.js';
import { ResultWaiter } from './result-waiter.service.js';
import { stopConsumer } from './stop-consumer.js';

/**
 * This process's own response queue: created at start under a unique name, consumed by one
 * long-poll loop that hands results to {@link ResultWaiter}, deleted at a clean shutdown.
 */
@Injectable()
export class ResponseQueueService implements OnModuleInit, OnApplicationShutdown {
  private consumer: Consumer | undefined;
  private touchTimer: NodeJS.Timeout | undefined;
  private url: string | undefined;
  private stopping = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly config: WebConfigService,
    private readonly waiter: ResultWaiter,
    @InjectPinoLogger(ResponseQueueService.name) private readonly logger: PinoLogger,
  ) {}

  /** URL of this process's response queue. */
  get queueUrl(): string {
    if (!this.url) throw new QueueNotReadyError('response');
    return this.url;
  }

  /** Name of this process's response queue, named in every job it waits for (workers resolve it themselves). */
  get queueName(): string {
    if (!this.url) throw new QueueNotReadyError('response');
    return this.name;
  }

  private get name(): string {
    return `${this.config.names.responseQueuePrefix}${this.config.instanceId}`;
  }

  async onModuleInit(): Promise<void> {
    this.url = await this.createQueue();
    this.consumer = Consumer.create({
      queueUrl: this.url,
      sqs: this.sqs,
      batchSize: 10,
      waitTimeSeconds: 20,
      handleMessageBatch: async (messages) => this.deliver(messages),
      strictReturn: true,
    });
    this.consumer.on('error', (error) => {
      if (!this.stopping) this.logger.warn({ error: describeError(error) }, 'response queue poll failed');
    });
    this.consumer.start();
    this.touchTimer = setInterval(() => void this.touch(), RESPONSE_QUEUE_TOUCH_MS);
    this.touchTimer.unref();
  }

  /** Says this process is alive: a queue left untouched is a crashed process's, and gets swept. */
  private async touch(): Promise<void> {
    if (!this.url) return;
    await touchResponseQueue(this.sqs, this.url).catch((error: unknown) => {
      this.logger.warn({ error: describeError(error) }, 'could not touch the response queue');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.touchTimer);
    await stopConsumer(this.consumer);
    if (this.url) {
      await this.sqs.send(new DeleteQueueCommand({ QueueUrl: this.url })).catch((error: unknown) => {
        this.logger.warn({ error: describeError(error), queueUrl: this.url }, 'could not delete the response queue');
      });
    }
  }

  private async createQueue(): Promise<string> {
    const { instanceId } = this.config;
    const url = await createResponseQueue(this.sqs, this.name, {
      app: 'glimpse',
      role: 'response-queue',
      instance: instanceId,
    });
    this.logger.info({ queueUrl: url }, 'response queue ready');
    return url;
  }

  private async deliver(messages: Message[]): Promise<Message[]> {
    for (const message of messages) {
      try {
        this.waiter.deliver(parseResultRecord(message.Body));
      } catch (error) {
        this.logger.warn({ error: describeError(error), messageId: message.MessageId }, 'dropping a malformed result');
      }
    }
    // Every message is consumed: results nobody waits for remain readable in the output bucket.
    return messages;
  }
}
