import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsConfig } from '../config/aws-config.js';

/** The AWS SDK v3 clients the tiers share. */
export interface AwsClients {
  readonly sqs: SQSClient;
  readonly s3: S3Client;
}

/**
 * Builds the SDK clients from config. With an endpoint override (the embedded emulator) S3 uses
 * path-style addressing and SQS sends every call to that endpoint, whatever host a queue URL names.
 */
export function createAwsClients(config: AwsConfig): AwsClients {
  const common = {
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
  return {
    sqs: new SQSClient({ ...common, useQueueUrlAsEndpoint: !config.endpoint }),
    s3: new S3Client({
      ...common,
      forcePathStyle: Boolean(config.endpoint),
      // Over loopback to the emulator, extra payload checksums only cost CPU; AWS keeps the SDK defaults.
      ...(config.endpoint
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
    }),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.sqs.destroy();
  clients.s3.destroy();
}
