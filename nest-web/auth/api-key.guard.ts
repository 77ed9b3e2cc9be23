import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { WebConfigService } from '../config/web-config.service.js';
import { ApiKeyRequiredError } from '../errors.js';
import { CallerResolver } from './caller.js';
import { KEY_POLICY, keyRequired, type KeyPolicy } from './key-policy.js';

/**
 * Lets a request through to a route that asks for an API key only with an accepted one (401
 * otherwise). The route's {@link KeyPolicy} comes from its decorators; a route that declares none
 * asks for a key, so a new route cannot be left open by omission.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly callers: CallerResolver,
    private readonly config: WebConfigService,
    @InjectPinoLogger(ApiKeyGuard.name) private readonly logger: PinoLogger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.asksForKey(context)) return true;
    const caller = this.callers.callerOf(context.switchToHttp().getRequest<Request>());
    if (caller.kind === 'key') return true;
    this.logger.info(
      { clientAddress: caller.address, presentedKey: caller.presentedKey },
      'request refused: no valid API key',
    );
    throw new ApiKeyRequiredError(caller.presentedKey);
  }

  private asksForKey(context: ExecutionContext): boolean {
    const policy =
      this.reflector.getAllAndOverride<KeyPolicy | undefined>(KEY_POLICY, [context.getHandler(), context.getClass()]) ??
      'required';
    return keyRequired(policy, {
      keysConfigured: this.callers.keysConfigured,
      cse546RequiresKey: this.config.cse546RequiresKey,
    });
  }
}
