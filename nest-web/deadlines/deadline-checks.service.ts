import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Consumer } from 'sqs-consumer';
import { MessageRefusedError, SQS_BATCH_LIMIT } from '#core/aws/message-batches.js';
import { queueUrlFor } from '#core/aws/queues.js';
import {
  checkDelaySeconds,
  MalformedDeadlineCheckError,
  parseDeadlineCheck,
  type DeadlineCheck,
} from '#core/contracts/deadline-check.js';
import { describeError } from '#core/errors.js';
import { WebConfigService } from '../config/web-config.service.js';
import { QueueNotReadyError } from '../errors.js';
import { JobEndingsService } from '../jobs/job-endings.service.js';
import { stopConsumer } from '../queues/stop-consumer.js';

/**
 * The deadline queue, both ends: a check per job with a deadline is sent at submission, delayed
 * until the deadline (SQS delays at most 15 minutes, so a check that comes up early is sent again
 * with the rest). Any web process consumes the due checks and expires jobs that have no ending.
 */
@Injectable()
export class DeadlineChecksService implements OnModuleInit, OnApplicationShutdown {
  private consumer: Consumer | undefined;
  private url: string | undefined;
  private stopping = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly config: WebConfigService,
    private readonly endings: JobEndingsService,
    @InjectPinoLogger(DeadlineChecksService.name) private readonly logger: PinoLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.url = await queueUrlFor(this.sqs, this.config.names.deadlineQueue);
    this.consumer = Consumer.create({
      queueUrl: this.url,
      sqs: this.sqs,
      batchSize: 10,
      waitTimeSeconds: 20,
      handleMessage: async (message) => this.check(message),
    });
    this.consumer.on('error', (error) => {
      if (!this.stopping) this.logger.warn({ error: describeError(error) }, 'deadline queue poll failed');
    });
    this.consumer.on('processing_error', (error, message) => {
      this.logger.warn(
        { error: describeError(error), messageId: message.MessageId },
        'deadline check failed; it comes back',
      );
    });
    this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await stopConsumer(this.consumer);
  }

  /** Sends one check per job, each delayed until its deadline (or SQS's longest delay). */
  async schedule(checks: readonly Omit<DeadlineCheck, 'version'>[]): Promise<void> {
    const now = Date.now();
    for (let start = 0; start < checks.length; start += SQS_BATCH_LIMIT) {
      const entries = checks.slice(start, start + SQS_BATCH_LIMIT).map(({ jobId, deadline }, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify({ version: 1, jobId, deadline } satisfies DeadlineCheck),
        DelaySeconds: checkDelaySeconds(deadline, now),
      }));
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      const [refused] = Failed;
      if (refused) throw new MessageRefusedError(refused.Code, refused.Message);
    }
  }

  /** A due check expires its job (unless it has an ending); an early one is sent again with the rest. */
  private async check(message: Message): Promise<Message> {
    let check: DeadlineCheck;
    try {
      check = parseDeadlineCheck(message.Body);
    } catch (error) {
      if (!(error instanceof MalformedDeadlineCheckError)) throw error;
      this.logger.warn({ messageId: message.MessageId }, 'dropping a message that is not a deadline check');
      return message;
    }
    const delay = checkDelaySeconds(check.deadline, Date.now());
    if (delay > 0) {
      await this.sqs.send(
        new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: message.Body, DelaySeconds: delay }),
      );
      return message;
    }
    const outcome = await this.endings.expire(check.jobId);
    this.logger.debug({ jobId: check.jobId, outcome: outcome.kind }, 'deadline check done');
    return message;
  }

  private get queueUrl(): string {
    if (!this.url) throw new QueueNotReadyError('deadline');
    return this.url;
  }
}
