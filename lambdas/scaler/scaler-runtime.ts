import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createAwsClients } from '#core/aws/clients.js';
import { queueUrlFor } from '#core/aws/queues.js';
import { sweepResponseQueues, type SweepReport } from '#core/aws/response-queues.js';
import { ConfigError } from '#core/errors.js';
import type { ScalerConfig } from '#core/config/scaler-config.js';
import { HeartbeatStore } from '#core/fleet/heartbeat-store.js';
import { DeadLetterSettler, type SettleReport } from '#core/jobs/dead-letter-settler.js';
import type { Logger } from '#core/logging/logger.js';
import { CloudWatchSink } from '#core/metrics/cloudwatch-sink.js';
import { observeQueue } from '#core/scaling/queue-observer.js';
import { Scaler } from '#core/scaling/scaler.js';
import { JobStore } from '#core/storage/job-store.js';
import { WebhookRequests } from '#core/webhooks/webhook-requests.js';
import { Ec2Fleet } from './ec2-fleet.js';

/** The clients the scaler Lambda talks through; injected so tests can point them anywhere. */
export interface ScalerClients {
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  readonly ec2: EC2Client;
  readonly cloudwatch: CloudWatchClient;
}

/** A scaler wired for AWS, built once per Lambda container. */
export interface ScalerRuntime {
  readonly scaler: Scaler;
  /** Deletes the response queues of web processes that crashed (see sweepResponseQueues). */
  readonly sweepResponseQueues: () => Promise<SweepReport>;
  /** Sends dead-lettered jobs back to the request queue, or answers them `worker_lost` (see DeadLetterSettler). */
  readonly settleDeadLetters: () => Promise<SettleReport>;
  readonly metrics: CloudWatchSink;
  readonly tickMs: number;
}

export function createScalerClients(config: ScalerConfig): ScalerClients {
  const { sqs, s3 } = createAwsClients(config.aws);
  return {
    sqs,
    s3,
    ec2: new EC2Client({ region: config.aws.region }),
    cloudwatch: new CloudWatchClient({ region: config.aws.region }),
  };
}

/** Wires the scaler: request-queue depth, the EC2 fleet, heartbeats, CloudWatch metrics. */
export async function createScalerRuntime(
  config: ScalerConfig,
  clients: ScalerClients,
  log: Logger,
): Promise<ScalerRuntime> {
  if (!config.ec2) throw new ConfigError('scaler', ['GLIMPSE_LAUNCH_TEMPLATE_ID is required to launch EC2 workers']);
  const queueUrl = await queueUrlFor(clients.sqs, config.names.requestQueue);
  const metrics = new CloudWatchSink(clients.cloudwatch, config.metricsNamespace, config.fleetName);
  const scaler = new Scaler({
    observeQueue: () => observeQueue(clients.sqs, queueUrl),
    fleet: new Ec2Fleet(clients.ec2, config.ec2, config.fleetName, log),
    heartbeats: new HeartbeatStore(clients.s3, config.names.outputBucket),
    metrics,
    policy: config.policy,
    log,
  });
  const sweep = () =>
    sweepResponseQueues(clients.sqs, config.names.responseQueuePrefix, config.queue.responseQueueIdleSeconds);
  const settler = new DeadLetterSettler({
    sqs: clients.sqs,
    store: new JobStore(clients.s3, config.names),
    requestQueueUrl: queueUrl,
    deadLetterQueueUrl: await queueUrlFor(clients.sqs, config.names.deadLetterQueue),
    responseQueuePrefix: config.names.responseQueuePrefix,
    redrives: config.queue.deadLetterRedrives,
    webhooks: new WebhookRequests(clients.sqs, await queueUrlFor(clients.sqs, config.names.webhookQueue)),
    log,
  });
  return {
    scaler,
    metrics,
    sweepResponseQueues: sweep,
    settleDeadLetters: () => settler.settle(),
    tickMs: config.policy.tickSeconds * 1000,
  };
}
