import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { MetadataService } from '@aws-sdk/ec2-metadata-service';
import sharp from 'sharp';
import { HeartbeatStore } from '#core/fleet/heartbeat-store.js';
import { CloudWatchSink } from '#core/metrics/cloudwatch-sink.js';
import { NO_METRICS, type MetricsSink } from '#core/metrics/metrics-sink.js';
import { createAwsClients, destroyAwsClients } from '#core/aws/clients.js';
import { queueUrlFor } from '#core/aws/queues.js';
import type { WorkerConfig } from '#core/config/worker-config.js';
import type { Log } from '#core/logging/logger.js';
import { loadModelFiles } from '#core/models/model-files.js';
import { modelSpec } from '#core/models/registry.js';
import { Classifier } from './inference/classifier.js';
import { JobStorage } from './jobs/job-storage.js';
import { JobProcessor } from './jobs/job-processor.js';
import { ResultPublisher } from './jobs/result-publisher.js';
import { IpcMetricsSink } from './ipc-metrics-sink.js';
import { QueueWorker } from './queue-worker.js';
import { ownInstanceId, terminateSelf } from './self-termination.js';
import { WorkerTelemetry } from './worker-telemetry.js';

/** A started worker: its receive loop and what to release when it stops. */
export interface RunningWorker {
  readonly queueWorker: QueueWorker;
  readonly classifier: Classifier;
  /** Stops the loop (graceful) and frees the session and clients. */
  shutdown(reason?: 'signal' | 'requested'): Promise<void>;
}

/** Wires a worker from config: clients, model, classifier, processor, receive loop; starts it. */
export async function startWorker(config: WorkerConfig, log: Log): Promise<RunningWorker> {
  // Every image is decoded once: libvips' operation cache would only hold memory.
  sharp.cache(false);
  const clients = createAwsClients(config.aws);
  const ec2 = config.selfTerminate ? new EC2Client({ region: config.aws.region }) : undefined;
  // On EC2 the worker is named by its instance id, which the scaler lists and heartbeats match.
  const workerId = ec2 ? await ownInstanceId(new MetadataService()) : config.workerId;
  const spec = modelSpec(config.model.model);
  const files = await loadModelFiles(spec, { cacheDir: config.model.cacheDir, mirrorDir: config.model.mirrorDir });
  const classifier = await Classifier.create(files, {
    executionProvider: config.executionProvider,
    intraOpThreads: config.intraOpThreads,
    maxBatch: config.maxBatch,
    log,
  });
  const [queueUrl, deadLetterQueueUrl] = await Promise.all([
    queueUrlFor(clients.sqs, config.names.requestQueue),
    queueUrlFor(clients.sqs, config.names.deadLetterQueue),
  ]);
  const processor = new JobProcessor({
    storage: new JobStorage(clients.s3, config.names.inputBucket, config.names.outputBucket),
    publisher: new ResultPublisher(clients.s3, clients.sqs, config.names.outputBucket),
    classifier,
    preprocess: spec,
    maxInputPixels: config.maxInputPixels,
    workerId,
    responseQueuePrefix: config.names.responseQueuePrefix,
    maxReceiveCount: config.queue.maxReceiveCount,
    deadLetter: async (message, reason) => {
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: deadLetterQueueUrl,
          MessageBody: message.Body ?? '',
          MessageAttributes: {
            'glimpse-dead-letter-reason': { DataType: 'String', StringValue: reason.slice(0, 1000) },
          },
        }),
      );
    },
    log,
  });
  const telemetry = new WorkerTelemetry({
    workerId,
    heartbeats: new HeartbeatStore(clients.s3, config.names.outputBucket),
    metrics: metricsSinkFor(config, workerId),
    intervalMs: config.heartbeatSeconds * 1000,
    busyMs: () => queueWorker.busyMs,
    log,
  });
  const queueWorker: QueueWorker = new QueueWorker({
    sqs: clients.sqs,
    queueUrl,
    processor,
    receiveBatchSize: config.receiveBatchSize,
    pollWaitSeconds: config.pollWaitSeconds,
    concurrency: config.receiveLoops,
    visibilityTimeoutSeconds: config.queue.visibilityTimeoutSeconds,
    idleSeconds: config.idleSeconds,
    stopGraceSeconds: config.stopGraceSeconds,
    onBatch: (outcome) => telemetry.onBatch(outcome),
    log,
  });
  await telemetry.start();
  queueWorker.start();
  log('worker started', {
    workerId,
    model: spec.name,
    executionProvider: classifier.executionProvider,
    maxBatch: classifier.maxBatch,
    queueUrl,
  });

  let released: Promise<void> | undefined;
  const release = () =>
    (released ??= queueWorker.done.then(async (reason) => {
      await telemetry.stop();
      await classifier.close();
      if (ec2 && reason === 'idle') {
        log('idle with nothing in flight: terminating this instance', { instanceId: workerId });
        await terminateSelf(ec2, workerId).catch((error: Error) =>
          log('self-termination failed', { error: error.message }),
        );
      }
      ec2?.destroy();
      destroyAwsClients(clients);
    }));
  void queueWorker.done.then(release);
  return {
    queueWorker,
    classifier,
    async shutdown(reason = 'requested') {
      await queueWorker.stop(reason);
      await release();
    },
  };
}

function metricsSinkFor(config: WorkerConfig, workerId: string): MetricsSink {
  switch (config.metricsSink) {
    case 'cloudwatch':
      return new CloudWatchSink(
        new CloudWatchClient({ region: config.aws.region }),
        config.metricsNamespace,
        config.fleetName,
      );
    case 'ipc':
      return process.send ? new IpcMetricsSink(workerId, (message) => process.send?.(message)) : NO_METRICS;
    case 'none':
      return NO_METRICS;
  }
}
