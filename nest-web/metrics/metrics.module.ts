import { Module, type DynamicModule } from '@nestjs/common';
import { registerService, type WebTierParts } from '../web-tier-parts.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** GET /v1/metrics over the series the process handed in, if any, as {@link MetricsService}. */
@Module({ controllers: [MetricsController] })
export class MetricsModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerService(
      MetricsModule,
      parts,
      MetricsService,
      () => new MetricsService(parts.config.workerPrice, parts.metrics),
    );
  }
}
