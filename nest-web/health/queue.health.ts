import { Injectable } from '@nestjs/common';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { probe } from './probe.js';

/** Whether SQS answers for a queue. */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly sqs: SQSClient,
    @InjectPinoLogger(QueueHealthIndicator.name) private readonly logger: PinoLogger,
  ) {}

  /** The URL is read inside the probe: a queue not resolved yet reads as down, not as a crash. */
  async isReachable<Key extends string>(
    key: Key,
    queue: { readonly queueUrl: string },
  ): Promise<HealthIndicatorResult<Key>> {
    return probe(
      this.indicators,
      key,
      () =>
        this.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: queue.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        ),
      { reason: 'queue unreachable', logger: this.logger },
    );
  }
}
