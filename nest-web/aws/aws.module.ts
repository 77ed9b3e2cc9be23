import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AwsClients } from '#core/aws/clients.js';
import type { WebConfig } from '#core/config/web-config.js';
import { S3_CLIENT, SQS_CLIENT, WEB_CONFIG } from './tokens.js';

/** Provides the validated config and the AWS clients (built by the caller) to every module. */
@Global()
@Module({})
export class AwsModule {
  static register(config: WebConfig, clients: AwsClients): DynamicModule {
    return {
      module: AwsModule,
      providers: [
        { provide: WEB_CONFIG, useValue: config },
        { provide: SQS_CLIENT, useValue: clients.sqs },
        { provide: S3_CLIENT, useValue: clients.s3 },
      ],
      exports: [WEB_CONFIG, SQS_CLIENT, S3_CLIENT],
    };
  }
}
