import type { EC2Client } from '@aws-sdk/client-ec2';
import type { MetadataService } from '@aws-sdk/ec2-metadata-service';
import sharp from 'sharp';
import { createAwsClients, destroyAwsClients, type AwsClients } from '#core/aws/clients.js';
import { queueUrlFor } from '#core/aws/queues.js';
import { WebhookRequests } from '#core/webhooks/webhook-requests.js';
import type { WorkerConfig } from '#core/config/worker-config.js';
import { describeError } from '#core/errors.js';
import { HeartbeatStore } from '#core/fleet/heartbeat-store.js';
import type { Logger } from '#core/logging/logger.js';
import { NO_METRICS, type MetricsSink } from '#core/metrics/metrics-sink.js';
import { syncServedModels } from '#core/models/bucket-sync.js';
import { JobStore } from '#core/storage/job-store.js';
import { connectedToFleet, sendToFleet } from './ipc-messages.js';
import { IpcMetricsSink } from './ipc-metrics-sink.js';
import { DeadLetterSender } from './jobs/dead-letter-sender.js';
import { JobProcessor } from './jobs/job-processor.js';
import { ReplySender } from './jobs/reply-sender.js';
import { ModelClassifiers, workerClassifierOpener } from './model-classifiers.js';
import { QueueWorker } from './queue-worker.js';
import { watchForInterruption } from './spot-interruption.js';
import { WorkerTelemetry } from './worker-telemetry.js';

/** A started worker: its receive loop, and the resources it frees once the loop has stopped. */
export interface RunningWorker {
  /** The configured id, or on EC2 the instance id. */
  readonly workerId: string;
  readonly queueWorker: QueueWorker;
  /** The models it serves, each opened when a job first names it (the default at start). */
  readonly models: ModelClassifiers;
  /** Stops the loop (graceful) and frees the session and clients. */
  shutdown(reason?: 'signal' | 'requested'): Promise<void>;
}

/** What the steps of a worker's start share. */
interface WorkerParts {
  readonly config: WorkerConfig;
  readonly clients: AwsClients;
  /** Only on EC2 with self-termination on. */
  readonly ec2: EC2Client | undefined;
  /** The instance metadata service, on EC2. */
  readonly metadata: MetadataService | undefined;
  readonly workerId: string;
  readonly models: ModelClassifiers;
  /** Bound to the worker id. */
  readonly log: Logger;
}

/** Wires a worker from config: clients, identity, models, job processor, receive loop; starts it. */
export async function startWorker(config: WorkerConfig, log: Logger): Promise<RunningWorker> {
  // Every image is decoded once: libvips' operation cache would only hold memory.
  sharp.cache(false);
  const clients = createAwsClients(config.aws);
  const { ec2, metadata, workerId } = (await ec2Identity(config)) ?? { workerId: config.workerId };
  const workerLog = log.child({ workerId });
  const models = await openModels(config, clients, workerLog);
  const parts: WorkerParts = { config, clients, ec2, metadata, workerId, models, log: workerLog };
  const [requestQueueUrl, deadLetterQueueUrl, webhookQueueUrl] = await Promise.all([
    queueUrlFor(clients.sqs, config.names.requestQueue),
    queueUrlFor(clients.sqs, config.names.deadLetterQueue),
    queueUrlFor(clients.sqs, config.names.webhookQueue),
  ]);
  const telemetry = await createTelemetry(parts, () => queueWorker.busyMs);
  const queueWorker: QueueWorker = new QueueWorker({
    sqs: clients.sqs,
    queueUrl: requestQueueUrl,
    processor: createJobProcessor(parts, { requestQueueUrl, deadLetterQueueUrl, webhookQueueUrl }),
    receiveBatchSize: config.receiveBatchSize,
    pollWaitSeconds: config.pollWaitSeconds,
    concurrency: config.receiveLoops,
    visibilityTimeoutSeconds: config.jobLeaseSeconds,
    idleSeconds: config.idleSeconds,
    stopGraceSeconds: config.stopGraceSeconds,
    onBatch: (outcome) => telemetry.onBatch(outcome),
    ...(connectedToFleet() ? heldJobsToFleet : {}),
    log: workerLog,
  });
  await telemetry.start();
  queueWorker.start();
  const stopWatching = drainOnInterruption(parts, queueWorker, telemetry);
  void queueWorker.done.then(stopWatching);
  workerLog.info({ models: config.model.models, queueUrl: requestQueueUrl }, 'worker started');
  const freeResources = freeResourcesOnceStopped(parts, queueWorker, telemetry);
  return {
    workerId,
    queueWorker,
    models,
    async shutdown(reason = 'requested') {
      // A signal is systemd stopping the instance (scale-in, shutdown) or Ctrl-C: drain within the grace.
      if (reason === 'signal') await queueWorker.drain('signal', Date.now() + config.stopGraceSeconds * 1000);
      else await queueWorker.stop(reason);
      await freeResources();
    },
  };
}

/** Spawned by the local fleet: it hears which jobs the worker holds, to release them if it dies. */
const heldJobsToFleet = {
  onJobsHeld: (receipts: readonly string[]) => sendToFleet({ type: 'holding', receipts: [...receipts] }),
  onJobsReleased: (receipts: readonly string[]) => sendToFleet({ type: 'released', receipts: [...receipts] }),
};

/**
 * On EC2 with self-termination on: the EC2 client, and the instance id that names the worker (the
 * scaler lists instances and matches heartbeats by it). The EC2 SDK and the metadata client load
 * only then: the EC2 SDK alone adds about half a second to a worker's start.
 */
async function ec2Identity(
  config: WorkerConfig,
): Promise<{ ec2: EC2Client; metadata: MetadataService; workerId: string } | undefined> {
  if (!config.selfTerminate) return undefined;
  const [{ EC2Client }, { MetadataService }, { ownInstanceId }] = await Promise.all([
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/ec2-metadata-service'),
    import('./self-termination.js'),
  ]);
  const metadata = new MetadataService();
  const workerId = await ownInstanceId(metadata);
  return { ec2: new EC2Client({ region: config.aws.region }), metadata, workerId };
}

/** Time a drain keeps before the interruption to release what it holds and exit. */
const DRAIN_MARGIN_MS = 15_000;

/**
 * On EC2: a Spot interruption notice (two minutes' warning) makes the worker drain. The heartbeat
 * says so at once (the scaler counts it as leaving), receiving stops, running batches finish while
 * they fit, and what is still held then is released. Returns a function that stops the watch.
 */
function drainOnInterruption(
  { config, metadata, log }: WorkerParts,
  queueWorker: QueueWorker,
  telemetry: WorkerTelemetry,
): () => void {
  if (!metadata) return () => undefined;
  return watchForInterruption({
    metadata,
    intervalMs: config.spotCheckSeconds * 1000,
    log,
    onNotice: (notice) => {
      telemetry.markDraining();
      void queueWorker.drain('interrupted', notice.at - DRAIN_MARGIN_MS);
    },
  });
}

/**
 * The worker's models: on AWS the folder models copied from the models bucket first (a model whose
 * copy failed is unavailable: its jobs fail); the default model opened now (a worker that cannot
 * serve it does not start), the others when a job names them.
 */
async function openModels(config: WorkerConfig, clients: AwsClients, log: Logger): Promise<ModelClassifiers> {
  const { model } = config;
  const unsynced = await syncServedModels(model, clients.s3, log);
  const models = new ModelClassifiers(model.models, workerClassifierOpener(config, log, unsynced));
  await models.classifierFor(model.model);
  return models;
}

interface QueueUrls {
  readonly requestQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly webhookQueueUrl: string;
}

function createJobProcessor(
  { config, clients, models, workerId, log }: WorkerParts,
  { requestQueueUrl, deadLetterQueueUrl, webhookQueueUrl }: QueueUrls,
) {
  return new JobProcessor({
    store: new JobStore(clients.s3, config.names),
    replies: new ReplySender(clients.sqs),
    models,
    maxInputPixels: config.maxInputPixels,
    workerId,
    responseQueuePrefix: config.names.responseQueuePrefix,
    requestQueueUrl,
    maxReceiveCount: config.queue.maxReceiveCount,
    deadLetters: new DeadLetterSender(clients.sqs, deadLetterQueueUrl),
    webhooks: new WebhookRequests(clients.sqs, webhookQueueUrl),
    log,
  });
}

async function createTelemetry(
  { config, clients, workerId, log }: WorkerParts,
  busyMs: () => number,
): Promise<WorkerTelemetry> {
  return new WorkerTelemetry({
    workerId,
    heartbeats: new HeartbeatStore(clients.s3, config.names.outputBucket),
    metrics: await metricsSinkFor(config, workerId),
    intervalMs: config.heartbeatSeconds * 1000,
    busyMs,
    log,
  });
}

/** Where the worker's metrics go; the CloudWatch SDK loads only when they go there. */
async function metricsSinkFor(config: WorkerConfig, workerId: string): Promise<MetricsSink> {
  switch (config.metricsSink) {
    case 'cloudwatch': {
      const [{ CloudWatchClient }, { CloudWatchSink }] = await Promise.all([
        import('@aws-sdk/client-cloudwatch'),
        import('#core/metrics/cloudwatch-sink.js'),
      ]);
      return new CloudWatchSink(
        new CloudWatchClient({ region: config.aws.region }),
        config.metricsNamespace,
        config.fleetName,
      );
    }
    case 'ipc':
      return connectedToFleet() ? new IpcMetricsSink(workerId, sendToFleet) : NO_METRICS;
    case 'none':
      return NO_METRICS;
  }
}

/**
 * Once the loop has stopped, for whatever reason: the final heartbeat, the session closed, on EC2
 * an idle instance terminated, the clients destroyed. Returns the wait for it; it runs once.
 */
function freeResourcesOnceStopped(
  parts: WorkerParts,
  queueWorker: QueueWorker,
  telemetry: WorkerTelemetry,
): () => Promise<void> {
  const { ec2, workerId, log } = parts;
  let freed: Promise<void> | undefined;
  const freeResources = () =>
    (freed ??= queueWorker.done.then(async (reason) => {
      await telemetry.stop();
      await parts.models.close();
      if (ec2 && reason === 'idle') {
        log.info({ instanceId: workerId }, 'idle with nothing in flight: terminating this instance');
        const { terminateSelf } = await import('./self-termination.js');
        await terminateSelf(ec2, workerId).catch((error: unknown) =>
          log.error({ error: describeError(error) }, 'self-termination failed'),
        );
      }
      ec2?.destroy();
      destroyAwsClients(parts.clients);
    }));
  void queueWorker.done.then(freeResources);
  return freeResources;
}
