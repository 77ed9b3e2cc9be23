import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '../auth/api-keys.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { CallerThrottlerGuard } from './caller-throttler.guard.js';
import { ImageQuota, MINUTE_MS } from './image-quota.js';
import { ThrottlerModule } from './throttler.js';

/**
 * Per-caller rate limits: requests a minute on every route (health excepted) through
 * @nestjs/throttler, and the {@link ImageQuota} upload routes count their files against. Imported
 * before anything else that guards routes, so its guard runs first: requests with a wrong key are
 * counted (per address) before the key guard refuses them.
 */
@Module({})
export class RateLimitsModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(RateLimitsModule, parts, () => {
      const { requestsPerMinute, imagesPerMinute } = parts.config.edge;
      const throttles: Provider[] =
        requestsPerMinute > 0 ? [{ provide: APP_GUARD, useClass: CallerThrottlerGuard }] : [];
      return {
        imports: [
          ApiKeysModule.register(parts),
          // blockDuration 0: a sliding minute (Retry-After: until the oldest counted request leaves it).
          ThrottlerModule.forRoot({ throttlers: [{ ttl: MINUTE_MS, limit: requestsPerMinute, blockDuration: 0 }] }),
        ],
        providers: [...throttles, { provide: ImageQuota, useValue: new ImageQuota(imagesPerMinute) }],
        exports: [ImageQuota, ApiKeysModule],
      };
    });
  }
}
