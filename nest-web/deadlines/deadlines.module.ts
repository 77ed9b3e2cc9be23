import { Module, type DynamicModule } from '@nestjs/common';
import { SQSClient } from '@aws-sdk/client-sqs';
import { WebConfigModule } from '../config/web-config.module.js';
import { JobEndingsModule } from '../jobs/job-endings.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { DeadlineChecksService } from './deadline-checks.service.js';

/** Deadlines: a check per job on the deadline queue, consumed here (started with the app, stopped at shutdown). */
@Module({ providers: [DeadlineChecksService], exports: [DeadlineChecksService] })
export class DeadlinesModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(DeadlinesModule, parts, () => ({
      imports: [JobEndingsModule.register(parts), WebConfigModule.register(parts)],
      providers: [{ provide: SQSClient, useValue: parts.clients.sqs }],
    }));
  }
}
