import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { CallerResolver, trackerOf } from '../auth/caller.js';
import { RateLimitedError } from '../errors.js';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard } from './throttler.js';

/**
 * @nestjs/throttler's guard, counting per caller (an accepted key's digest, else the client
 * address) over all routes together, and refusing with the API's own 429 body and `Retry-After`.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly callers: CallerResolver,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return trackerOf(this.callers.callerOf(request as unknown as Request));
  }

  /** One budget per caller, whichever routes it calls (the library's default counts each route apart). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    throw new RateLimitedError(`more than ${detail.limit} requests a minute`, retryAfterSeconds);
  }
}
