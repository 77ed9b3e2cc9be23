import { Module, type DynamicModule } from '@nestjs/common';
import type { AwsClients } from '#core/aws/clients.js';
import type { WebConfig } from '#core/config/web-config.js';
import { AwsModule, type WebAppExtras } from './aws/aws.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ClassificationsModule } from './classifications/classifications.module.js';
import { HealthModule } from './health/health.module.js';
import { LegacyModule } from './legacy/legacy.module.js';
import { UiModule } from './ui/ui.module.js';

@Module({})
export class AppModule {
  static register(config: WebConfig, clients: AwsClients, extras: WebAppExtras = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AwsModule.register(config, clients, extras),
        ClassificationsModule,
        LegacyModule,
        HealthModule,
        MetricsModule,
        UiModule,
      ],
    };
  }
}
