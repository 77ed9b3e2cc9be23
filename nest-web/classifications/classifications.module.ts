import { Module, type DynamicModule } from '@nestjs/common';
import { IdempotencyKeys } from '#core/idempotency/idempotency-keys.js';
import { IdempotencyStore } from '#core/idempotency/idempotency-store.js';
import { ApiKeysModule } from '../auth/api-keys.module.js';
import { CallerResolver } from '../auth/caller.js';
import { WebConfigModule } from '../config/web-config.module.js';
import { JobEndingsModule } from '../jobs/job-endings.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { ModelsModule } from '../models/models.module.js';
import { JobStoreModule } from '../storage/job-store.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { ClassificationsController } from './classifications.controller.js';
import { ClassificationsService } from './classifications.service.js';
import { IdempotentRequests } from './idempotent-requests.js';
import { WebhookCheck } from './webhook-check.js';

/** The REST API: POST /v1/classifications, GET and DELETE /v1/classifications/:id. */
@Module({ controllers: [ClassificationsController], providers: [ClassificationsService] })
export class ClassificationsModule {
  static register(parts: WebTierParts): DynamicModule {
    const idempotencyKeys = () =>
      new IdempotencyKeys({
        store: new IdempotencyStore(parts.clients.s3, { outputBucket: parts.config.names.outputBucket }),
        log: parts.logger.child({ component: 'idempotency' }),
      });
    return registerOnce(ClassificationsModule, parts, () => ({
      imports: [
        ApiKeysModule.register(parts),
        JobEndingsModule.register(parts),
        JobsModule.register(parts),
        JobStoreModule.register(parts),
        ModelsModule.register(parts),
        UploadsModule.register(parts),
        WebConfigModule.register(parts),
      ],
      providers: [
        { provide: WebhookCheck, useValue: new WebhookCheck(parts.config.webhooks) },
        {
          provide: IdempotentRequests,
          inject: [CallerResolver],
          useFactory: (callers: CallerResolver) => new IdempotentRequests(idempotencyKeys(), callers),
        },
      ],
    }));
  }
}
