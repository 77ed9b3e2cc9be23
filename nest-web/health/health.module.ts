import { Module, type DynamicModule } from '@nestjs/common';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TerminusModule } from '@nestjs/terminus';
import { WebConfigModule } from '../config/web-config.module.js';
import { QueuesModule } from '../queues/queues.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { BucketHealthIndicator } from './bucket.health.js';
import { HealthController } from './health.controller.js';
import { QueueHealthIndicator } from './queue.health.js';
import { ReadinessService } from './readiness.service.js';

/** GET /health, through @nestjs/terminus indicators for the queues and buckets. */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [QueueHealthIndicator, BucketHealthIndicator, ReadinessService],
})
export class HealthModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(HealthModule, parts, () => ({
      imports: [QueuesModule.register(parts), WebConfigModule.register(parts)],
      providers: [
        { provide: SQSClient, useValue: parts.clients.sqs },
        { provide: S3Client, useValue: parts.clients.s3 },
      ],
    }));
  }
}
