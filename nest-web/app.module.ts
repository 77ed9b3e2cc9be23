import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { BatchesModule } from './batches/batches.module.js';
import { ClassificationsModule } from './classifications/classifications.module.js';
import { Cse546Module } from './cse546/cse546.module.js';
import { HealthModule } from './health/health.module.js';
import { RequestValidationPipe } from './http/request-validation.pipe.js';
import { WebErrorFilter } from './http/web-error.filter.js';
import { requestLoggingParams } from './http/request-logging.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ModelsModule } from './models/models.module.js';
import { RateLimitsModule } from './rate-limits/rate-limits.module.js';
import { UiModule } from './ui/ui.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import type { WebTierParts } from './web-tier-parts.js';

/** The web tier: its feature modules, each importing what it uses; one logger, one pipe, one error filter. */
@Module({})
export class AppModule {
  static register(parts: WebTierParts): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(requestLoggingParams(parts.logger)),
        // First of the modules that guard routes: its guard (rate limits) runs before the API-key guard.
        RateLimitsModule.register(parts),
        BatchesModule.register(parts),
        ClassificationsModule.register(parts),
        Cse546Module.register(parts),
        HealthModule.register(parts),
        MetricsModule.register(parts),
        ModelsModule.register(parts),
        UiModule,
        WebhooksModule.register(parts),
      ],
      providers: [
        { provide: APP_PIPE, useClass: RequestValidationPipe },
        { provide: APP_FILTER, useClass: WebErrorFilter },
      ],
    };
  }
}
