import { Injectable } from '@nestjs/common';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { probe } from './probe.js';

/** Whether S3 answers for a bucket. */
@Injectable()
export class BucketHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly s3: S3Client,
    @InjectPinoLogger(BucketHealthIndicator.name) private readonly logger: PinoLogger,
  ) {}

  async isReachable<Key extends string>(key: Key, bucket: string): Promise<HealthIndicatorResult<Key>> {
    return probe(this.indicators, key, () => this.s3.send(new HeadBucketCommand({ Bucket: bucket })), {
      reason: 'bucket unreachable',
      logger: this.logger,
    });
  }
}
