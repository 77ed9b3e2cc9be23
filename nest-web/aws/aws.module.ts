import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AwsClients } from '#core/aws/clients.js';
import type { WebConfig } from '#core/config/web-config.js';
import type { MetricSeries } from '#core/metrics/metric-series.js';
import type { ScalerNudge } from '#core/scaling/scaler-nudge.js';
import { METRIC_SERIES, S3_CLIENT, SCALER_NUDGE, SQS_CLIENT, WEB_CONFIG } from './tokens.js';

/** Parts the embedding process may hand the web tier. */
export interface WebAppExtras {
  /** Called when work arrives (local scaler, or the scaler Lambda). */
  readonly nudge?: ScalerNudge;
  /** In-memory metrics served at GET /v1/metrics (local stack). */
  readonly metrics?: MetricSeries;
}

/** Provides the validated config, the AWS clients (built by the caller) and the optional extras to every module. */
@Global()
@Module({})
export class AwsModule {
  static register(config: WebConfig, clients: AwsClients, extras: WebAppExtras = {}): DynamicModule {
    const optional = [
      ...(extras.nudge ? [{ provide: SCALER_NUDGE, useValue: extras.nudge }] : []),
      ...(extras.metrics ? [{ provide: METRIC_SERIES, useValue: extras.metrics }] : []),
    ];
    return {
      module: AwsModule,
      providers: [
        { provide: WEB_CONFIG, useValue: config },
        { provide: SQS_CLIENT, useValue: clients.sqs },
        { provide: S3_CLIENT, useValue: clients.s3 },
        ...optional,
      ],
      exports: [WEB_CONFIG, SQS_CLIENT, S3_CLIENT, ...optional.map((provider) => provider.provide)],
    };
  }
}
