import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import { JOB_MESSAGE_VERSION } from '#core/contracts/job-message.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { silentLogger } from '#core/logging/logger.js';
import { ModelContractError } from '#core/models/errors.js';
import { preprocessSpecOf } from '#core/models/model-contract.js';
import { modelSpec } from '#core/models/registry.js';
import type { AttemptClassifier } from '#worker/jobs/attempt.js';
import { JobProcessor, type JobProcessorDeps } from '#worker/jobs/job-processor.js';

/** Model-ready pixels of the built-ins' contract, so no job needs decoding. */
const PIXELS = new Uint8Array(224 * 224 * 3);
const MOBILENET_CROP = preprocessSpecOf(modelSpec('mobilenetv2-12-int8').contract.input);

/** A received job naming `model` (none when undefined), with stored pixels. */
function jobMessage(model: string | undefined, receiveCount = 1): Message {
  const body = {
    version: JOB_MESSAGE_VERSION,
    jobId: randomUUID(),
    filename: `${model ?? 'default'}.jpg`,
    submittedAt: new Date().toISOString(),
    pixels: { size: 224, resize: 256 },
    ...(model === undefined ? {} : { model }),
  };
  return {
    MessageId: randomUUID(),
    ReceiptHandle: 'r',
    Body: JSON.stringify(body),
    Attributes: { ApproximateReceiveCount: String(receiveCount) },
  };
}

/** A classifier of `model` that names each image `<model>-class` and records the size of each call. */
function fakeClassifier(model: string, version: string, calls: Array<[string, number]>): AttemptClassifier {
  return {
    modelName: model,
    modelVersion: version,
    preprocess: MOBILENET_CROP,
    classify: async (images) => {
      calls.push([model, images.length]);
      const prediction = { label: `${model}-class`, index: 1, confidence: 0.5, top5: [] };
      return {
        predictions: images.map(() => prediction),
        inferenceMs: images.map(() => 1),
        batchSizes: images.map(() => images.length),
      };
    },
  };
}

/** A processor whose worker serves the models given, `broken` breaking its contract. */
function processorFor(classifiers: Record<string, AttemptClassifier>) {
  const stored: ResultRecord[] = [];
  const broken = new ModelContractError('broken', 'model.json', 'input.name', '"data" is not an input of model.onnx');
  const deps: JobProcessorDeps = {
    store: {
      readInput: async () => undefined,
      readPixels: async () => PIXELS,
      readResult: async () => undefined,
      putResult: async (record) => (stored.push(record), { body: JSON.stringify(record), first: true }),
    },
    replies: { sendAll: async (batch) => batch.map(() => 'none' as const) },
    models: {
      defaultModel: 'mobilenetv2-12-int8',
      classifierFor: async (model) => {
        const name = model ?? 'mobilenetv2-12-int8';
        if (name === 'broken') throw broken;
        return classifiers[name]!;
      },
    },
    maxInputPixels: 1_000_000,
    workerId: 'w1',
    responseQueuePrefix: 'glimpse-responses-',
    requestQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/glimpse-requests',
    maxReceiveCount: 3,
    deadLetters: { send: async () => undefined },
    webhooks: { requestAll: async (requests) => requests.map(() => 'sent' as const) },
    log: silentLogger(),
  };
  return { processor: new JobProcessor(deps), stored, broken };
}

describe('JobProcessor with several models', () => {
  it("batches one receive's jobs per model: one call per model, each result naming its model and version", async () => {
    // Prepare
    const calls: Array<[string, number]> = [];
    const { processor, stored } = processorFor({
      'mobilenetv2-12-int8': fakeClassifier('mobilenetv2-12-int8', 'cc028fe6cae7', calls),
      'shufflenet-v2-12-qdq': fakeClassifier('shufflenet-v2-12-qdq', '7c536d02e2f6', calls),
    });
    const messages = [
      jobMessage('shufflenet-v2-12-qdq'),
      jobMessage(undefined),
      jobMessage('mobilenetv2-12-int8'),
      jobMessage('shufflenet-v2-12-qdq'),
    ];

    // Act
    const outcome = await processor.process(messages);

    // Assess
    expect(outcome.acknowledged).toHaveLength(4);
    expect(calls.sort()).toEqual([
      ['mobilenetv2-12-int8', 2],
      ['shufflenet-v2-12-qdq', 2],
    ]);
    expect(stored.map((record) => [record.filename, record.model, record.modelVersion, record.status])).toEqual(
      expect.arrayContaining([
        ['shufflenet-v2-12-qdq.jpg', 'shufflenet-v2-12-qdq', '7c536d02e2f6', 'done'],
        ['default.jpg', 'mobilenetv2-12-int8', 'cc028fe6cae7', 'done'],
        ['mobilenetv2-12-int8.jpg', 'mobilenetv2-12-int8', 'cc028fe6cae7', 'done'],
      ]),
    );
    const shuffled = stored.filter((record) => record.model === 'shufflenet-v2-12-qdq');
    expect(shuffled.map((record) => record.status === 'done' && record.prediction.label)).toEqual([
      'shufflenet-v2-12-qdq-class',
      'shufflenet-v2-12-qdq-class',
    ]);
  });

  it('answers a job whose model breaks its contract with failed (model_unavailable) at once; the others are done', async () => {
    // Prepare
    const calls: Array<[string, number]> = [];
    const { processor, stored, broken } = processorFor({
      'mobilenetv2-12-int8': fakeClassifier('mobilenetv2-12-int8', '1', calls),
    });

    // Act
    const outcome = await processor.process([jobMessage('broken'), jobMessage(undefined)]);

    // Assess
    expect(outcome.acknowledged).toHaveLength(2);
    expect(outcome.retry).toHaveLength(0);
    expect(stored.find((record) => record.model === 'broken')).toMatchObject({
      status: 'failed',
      failure: { code: 'model_unavailable', message: broken.message },
    });
    expect(stored.find((record) => record.model === 'mobilenetv2-12-int8')).toMatchObject({ status: 'done' });
    expect(calls).toEqual([['mobilenetv2-12-int8', 1]]);
  });
});
