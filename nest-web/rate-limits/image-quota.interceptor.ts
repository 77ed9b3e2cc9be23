import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { CallerResolver, trackerOf } from '../auth/caller.js';
import { RateLimitedError } from '../errors.js';
import { ImageQuota } from './image-quota.js';

/**
 * Runs once multer has read a request's files and before the route makes any job of them: counts
 * the files against the caller's images a minute, and refuses the whole request (429) past it.
 */
@Injectable()
export class ImageQuotaInterceptor implements NestInterceptor {
  constructor(
    private readonly quota: ImageQuota,
    private readonly callers: CallerResolver,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const images = filesOf(request);
    if (images > 0) {
      const decision = this.quota.take(trackerOf(this.callers.callerOf(request)), images);
      if (!decision.admitted) throw new RateLimitedError('too many images a minute', decision.retryAfterSeconds);
    }
    return next.handle();
  }
}

/** How many files multer took from the request, whichever way its fields were declared. */
function filesOf(request: Request): number {
  const { files } = request;
  if (!files) return 0;
  return Array.isArray(files) ? files.length : Object.values(files).reduce((sum, list) => sum + list.length, 0);
}
