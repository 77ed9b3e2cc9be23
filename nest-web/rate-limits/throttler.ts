// Evaluated before this module's body, so the require() below finds it loaded.
import '@nestjs/common';
import { createRequire } from 'node:module';

/**
 * @nestjs/throttler, loaded with require() when this module runs rather than by a static import.
 * The library is CommonJS and requires @nestjs/common, which Nest 12 ships as ESM only: Node
 * accepts that either way, but jest's ESM loader links a static import of it as a require() cycle
 * and refuses to load the app. Its types are the library's own.
 */
const throttler = createRequire(import.meta.url)('@nestjs/throttler') as typeof import('@nestjs/throttler');

export const {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  SkipThrottle,
  ThrottlerGuard,
  ThrottlerModule,
} = throttler;
