import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { WebConfigModule } from '../config/web-config.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { ApiKeyDigests } from './api-key-digests.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { CallerResolver } from './caller.js';

/**
 * API keys: {@link ApiKeyGuard} on every route (each route's policy from its decorators), and the
 * {@link CallerResolver} the rate limits share, so a request's key is hashed once.
 */
@Module({})
export class ApiKeysModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(ApiKeysModule, parts, () => ({
      imports: [WebConfigModule.register(parts)],
      providers: [
        { provide: ApiKeyDigests, useValue: new ApiKeyDigests(parts.config.edge.apiKeyDigests) },
        CallerResolver,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [CallerResolver],
    }));
  }
}
