import { Module, type DynamicModule } from '@nestjs/common';
import { SQSClient } from '@aws-sdk/client-sqs';
import { WebConfigModule } from '../config/web-config.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { RequestQueueService } from './request-queue.service.js';
import { ResponseQueueService } from './response-queue.service.js';
import { ResultWaiter } from './result-waiter.service.js';

/**
 * Both ends of the pipeline's queues: jobs out to the shared request queue, results back on this
 * process's response queue to the requests waiting for them. The SQS client stays inside.
 */
@Module({
  providers: [RequestQueueService, ResponseQueueService, ResultWaiter],
  exports: [RequestQueueService, ResponseQueueService, ResultWaiter],
})
export class QueuesModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(QueuesModule, parts, () => ({
      imports: [WebConfigModule.register(parts)],
      providers: [{ provide: SQSClient, useValue: parts.clients.sqs }],
    }));
  }
}
