import { Module, type DynamicModule } from '@nestjs/common';
import { JobStore } from '#core/storage/job-store.js';
import { WebConfigModule } from '../config/web-config.module.js';
import { WebConfigService } from '../config/web-config.service.js';
import { QueuesModule } from '../queues/queues.module.js';
import { RequestQueueService } from '../queues/request-queue.service.js';
import { ResultWaiter } from '../queues/result-waiter.service.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { JobEndingsService } from './job-endings.service.js';

/** Ending jobs early (cancel, expiry), as {@link JobEndingsService}. */
@Module({})
export class JobEndingsModule {
  static register(parts: WebTierParts): DynamicModule {
    const { inputBucket, outputBucket } = parts.config.names;
    return registerOnce(JobEndingsModule, parts, () => ({
      imports: [QueuesModule.register(parts), WebConfigModule.register(parts)],
      providers: [
        {
          provide: JobEndingsService,
          inject: [WebConfigService, RequestQueueService, ResultWaiter],
          useFactory: (config: WebConfigService, requests: RequestQueueService, waiter: ResultWaiter) =>
            new JobEndingsService({
              sqs: parts.clients.sqs,
              store: new JobStore(parts.clients.s3, { inputBucket, outputBucket }),
              config,
              requests,
              waiter,
              defaultModel: parts.config.model.model,
              log: parts.logger.child({ component: 'job-endings' }),
            }),
        },
      ],
      exports: [JobEndingsService],
    }));
  }
}
