import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Env } from '#core/config/env-schema.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { JOB_MESSAGE_VERSION, type JobMessage } from '#core/contracts/job-message.js';
import type { ModelList } from '#core/contracts/model-listing.js';
import { silentLogger } from '#core/logging/logger.js';
import { modelContractSchema } from '#core/models/model-contract.js';
import { modelSpec } from '#core/models/registry.js';
import { inputKeyFor } from '#core/storage/object-keys.js';
import { createWebApp } from '#web/app.factory.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import {
  createReplyQueue,
  receiveResults,
  startTestInfrastructure,
  type TestInfrastructure,
} from '../support/infrastructure.js';
import { readPhoto } from '../support/images.js';
import { exampleContract, writeModelFolder } from '../support/model-folders.js';

/** The default, a custom folder beside it, the batch-1 built-in, and two broken folders. */
const SERVED = ['mobilenetv2-12-int8', 'pets', 'shufflenet-v2-12-qdq', 'no-file', 'wrong-input'];

type Item = Record<string, any>;

/** A multipart body: the photo as `images`, and any text fields. */
function upload(photo: Uint8Array, fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  body.append('images', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

describe('several models side by side: a model folder beside the built-ins (issue 11)', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;
  let app: NestExpressApplication;
  let url: string;
  let tench: Buffer;
  /** The test infrastructure's environment, serving the models above. */
  let env: Env;

  const classify = async (query: string, body: FormData) => {
    const response = await fetch(`${url}/v1/classifications?wait=30${query}`, { method: 'POST', body });
    return { status: response.status, body: (await response.json()) as Item };
  };

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    const modelDir = path.join(infra.dataDir, 'model-folders');
    await writeModelFolder(modelDir, 'pets');
    await writeModelFolder(modelDir, 'no-file', { contract: ({ file: _file, ...rest }: any) => rest });
    await writeModelFolder(modelDir, 'wrong-input', {
      contract: (example: any) => ({ ...example, input: { ...example.input, name: 'data' } }),
    });
    env = { ...infra.env, GLIMPSE_MODELS: SERVED.join(','), GLIMPSE_MODEL_DIR: modelDir };
    worker = await startWorker(
      loadWorkerConfig({ ...env, GLIMPSE_POLL_WAIT_SECONDS: '1', GLIMPSE_WORKER_ID: 'models-worker' }),
      silentLogger(),
    );
    app = await createWebApp(loadWebConfig({ ...env, PORT: '0' }), infra.clients, { logger: silentLogger() });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    tench = await readPhoto('n01440764_tench.JPEG');
  });
  afterAll(async () => {
    await app?.close();
    await worker?.shutdown();
    await infra?.stop();
  });

  it('answers the same photo with both models, each with its own labels', async () => {
    // Act
    const byDefault = await classify('', upload(tench));
    const byQuery = await classify('&model=pets', upload(tench));
    const byForm = await classify('', upload(tench, { model: 'pets' }));

    // Assess
    const [defaultItem] = byDefault.body.items as Item[];
    expect(defaultItem).toMatchObject({
      status: 'done',
      model: 'mobilenetv2-12-int8',
      modelVersion: modelSpec('mobilenetv2-12-int8').contract.version,
      result: { label: 'tench', wnid: 'n01440764' },
    });
    const top1 = defaultItem!.result.index as number;
    for (const { status, body } of [byQuery, byForm]) {
      expect(status).toBe(200);
      const [item] = body.items as Item[];
      expect(item).toMatchObject({ status: 'done', model: 'pets', modelVersion: '3' });
      expect(item!.result).toMatchObject({ label: `class-${top1}`, index: top1 });
      expect(item!.result.wnid).toBeUndefined();
      expect(item!.result.confidence).toBeCloseTo(defaultItem!.result.confidence, 5);
    }
  });

  it('lists the served models at GET /v1/models, with what a client needs of each', async () => {
    // Act
    const response = await fetch(`${url}/v1/models`);

    // Assess
    expect(response.status).toBe(200);
    const list = (await response.json()) as ModelList;
    expect(list.default).toBe('mobilenetv2-12-int8');
    expect(list.models.map((model) => [model.name, model.default, model.available, model.source])).toEqual([
      ['mobilenetv2-12-int8', true, true, 'built-in'],
      ['pets', false, true, 'folder'],
      ['shufflenet-v2-12-qdq', false, true, 'built-in'],
      ['no-file', false, false, 'folder'],
      ['wrong-input', false, false, 'folder'],
    ]);
    expect(list.models[1]).toEqual({
      name: 'pets',
      default: false,
      available: true,
      source: 'folder',
      version: '3',
      // The folder's model.json with its defaults filled (NCHW, RGB, 0-1).
      input: modelContractSchema.parse(exampleContract('pets')).input,
      output: { name: 'output', kind: 'logits' },
      classes: 1000,
      maxBatch: 16,
      sha256: modelSpec('mobilenetv2-12-int8').weights.sha256,
    });
    expect(list.models[2]).toMatchObject({ maxBatch: 1, sha256: modelSpec('shufflenet-v2-12-qdq').weights.sha256 });
    expect(list.models[3]!.reason).toMatch(/^no-file\/model.json: file: /);
    expect(list.models[4]!.reason).toBe(
      'wrong-input/model.json: input.name: "data" is not an input of model.onnx (its inputs: input)',
    );
  });

  it.each([
    ['a missing field', 'no-file', /^model no-file is unavailable: no-file\/model.json: file: /],
    ['a wrong input name', 'wrong-input', /^model wrong-input is unavailable: wrong-input\/model.json: input.name: /],
  ])(
    'refuses a model whose model.json has %s with 422 naming the field; the default still answers',
    async (_story, model, message) => {
      // Act
      const refused = await classify(`&model=${model}`, upload(tench));
      const answered = await classify('', upload(tench));

      // Assess
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ statusCode: 422, code: 'model_unavailable', model });
      expect(refused.body.message).toMatch(message);
      expect(answered.status).toBe(200);
      expect(answered.body.items[0]).toMatchObject({ status: 'done', model: 'mobilenetv2-12-int8' });
    },
  );

  it('refuses a model that is not served with 400 listing the served names', async () => {
    // Act
    const { status, body } = await classify('&model=resnet-9000', upload(tench));

    // Assess
    expect(status).toBe(400);
    expect(body.models).toEqual(SERVED);
    expect(body.message).toContain('served models: mobilenetv2-12-int8, pets, shufflenet-v2-12-qdq');
  });

  it('refuses a model named one way in the query and another in the form', async () => {
    const { status } = await classify('&model=pets', upload(tench, { model: 'mobilenetv2-12-int8' }));
    expect(status).toBe(400);
  });

  it('serves the batch-1 ShuffleNet and the dynamic-batch MobileNet in one receive of one worker', async () => {
    // Prepare: the jobs wait in the queue while the worker does not receive, all sent at one instant
    await worker.queueWorker.stop();
    const replyTo = await createReplyQueue(infra);
    const submittedAt = new Date().toISOString();
    const models = [
      'shufflenet-v2-12-qdq',
      'mobilenetv2-12-int8',
      'shufflenet-v2-12-qdq',
      'mobilenetv2-12-int8',
      'pets',
    ];
    const jobs = await Promise.all(
      models.map(async (model, index): Promise<JobMessage> => {
        const jobId = randomUUID();
        await infra.clients.s3.send(
          new PutObjectCommand({ Bucket: infra.names.inputBucket, Key: inputKeyFor(jobId), Body: tench }),
        );
        const replyQueue = new URL(replyTo).pathname.split('/').pop()!;
        return { version: JOB_MESSAGE_VERSION, jobId, filename: `${index}.jpg`, submittedAt, model, replyQueue };
      }),
    );
    await infra.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: infra.queues.requestQueueUrl,
        Entries: jobs.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
      }),
    );
    await worker.shutdown();
    worker = await startWorker(
      loadWorkerConfig({
        ...env,
        GLIMPSE_POLL_WAIT_SECONDS: '1',
        GLIMPSE_RECEIVE_LOOPS: '1',
        GLIMPSE_WORKER_ID: 'one-receive',
      }),
      silentLogger(),
    );

    // Act
    const results = await receiveResults(infra, replyTo, jobs.length, 30_000);

    // Assess
    expect(results).toHaveLength(jobs.length);
    const byModel = (model: string) => results.filter((result) => result.model === model);
    expect(results.every((result) => result.status === 'done' && result.workerId === 'one-receive')).toBe(true);
    // One receive: every job was received at the same instant (the same queue wait, from one submission time).
    expect(new Set(results.map((result) => result.timings.queueWaitMs)).size).toBe(1);
    // ShuffleNet one image per call; MobileNet's two jobs in one call; each model's own labels.
    expect(byModel('shufflenet-v2-12-qdq').map((result) => result.timings.batchSize)).toEqual([1, 1]);
    expect(byModel('mobilenetv2-12-int8').map((result) => result.timings.batchSize)).toEqual([2, 2]);
    expect(byModel('pets').map((result) => result.status === 'done' && result.prediction.label)).toEqual(['class-0']);
    expect(worker.models.openedModels.sort()).toEqual(['mobilenetv2-12-int8', 'pets', 'shufflenet-v2-12-qdq']);
  });
});
