import { SendMessageCommand } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
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
import { QueueWorker } from './queue-worker.js';

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
    workerId: config.workerId,
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
  const queueWorker = new QueueWorker({
    sqs: clients.sqs,
    queueUrl,
    processor,
    receiveBatchSize: config.receiveBatchSize,
    pollWaitSeconds: config.pollWaitSeconds,
    concurrency: config.receiveLoops,
    visibilityTimeoutSeconds: config.queue.visibilityTimeoutSeconds,
    idleSeconds: config.idleSeconds,
    stopGraceSeconds: config.stopGraceSeconds,
    log,
  });
  queueWorker.start();
  log('worker started', {
    workerId: config.workerId,
    model: spec.name,
    executionProvider: classifier.executionProvider,
    maxBatch: classifier.maxBatch,
    queueUrl,
  });

  let released: Promise<void> | undefined;
  const release = () =>
    (released ??= queueWorker.done.then(async () => {
      await classifier.close();
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
