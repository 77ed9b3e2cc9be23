import { Module, type DynamicModule } from '@nestjs/common';
import { registerService, type WebTierParts } from '../web-tier-parts.js';
import { WebConfigService } from './web-config.service.js';

/** Provides the validated configuration as {@link WebConfigService} to the module importing it. */
@Module({})
export class WebConfigModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerService(WebConfigModule, parts, WebConfigService, () => new WebConfigService(parts.config));
  }
}
