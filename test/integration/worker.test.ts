import { spawn, type ChildProcess } from 'node:child_process';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { once } from 'node:events';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { startWorker, type RunningWorker } from '#worker/worker-runtime.js';
import {
  createReplyQueue,
  eventually,
  queueCounts,
  queueDrained,
  receiveResults,
  startTestInfrastructure,
  storedResult,
  submitJob,
  type TestInfrastructure,
} from '../support/infrastructure.js';
import { readPhoto } from '../support/images.js';
import { recordingLogger } from '../support/logs.js';
import { DIST_WORKER_ENTRY } from '../support/paths.js';

const quietLog = silentLogger();

describe('worker against the real emulator', () => {
  let infra: TestInfrastructure;
  let worker: RunningWorker;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    worker = await startWorker(
      loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1', GLIMPSE_WORKER_ID: 'it-worker' }),
      quietLog,
    );
  });
  afterAll(async () => {
    await worker?.shutdown();
    await infra?.stop();
  });

  it('turns a job into a stored result and a reply, then deletes the job', async () => {
    const replyTo = await createReplyQueue(infra);
    const job = await submitJob(infra, await readPhoto('n01440764_tench.JPEG'), { filename: 'tench.JPEG', replyTo });
    const [reply] = await receiveResults(infra, replyTo, 1, 20_000);
    expect(reply).toMatchObject({ jobId: job.jobId, status: 'done', filename: 'tench.JPEG', workerId: 'it-worker' });
    expect(reply!.status === 'done' && reply!.prediction).toMatchObject({
      label: 'tench',
      wnid: 'n01440764',
      index: 0,
    });
    expect(await storedResult(infra, job.jobId)).toEqual(reply);
    await queueDrained(infra, infra.queues.requestQueueUrl, 'the job to be deleted');
  });

  it('classifies the images of one receive in one batched onnxruntime call', async () => {
    const replyTo = await createReplyQueue(infra);
    await worker.queueWorker.stop();
    const photos = [
      'n01530575_brambling.JPEG',
      'n01558993_robin.JPEG',
      'n01601694_water_ouzel.JPEG',
      'n02007558_flamingo.JPEG',
    ];
    const jobs = await Promise.all(
      photos.map(async (name) => submitJob(infra, await readPhoto(name), { filename: name, replyTo })),
    );
    worker = await startWorker(
      loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1', GLIMPSE_WORKER_ID: 'it-worker' }),
      quietLog,
    );
    const replies = await receiveResults(infra, replyTo, jobs.length, 20_000);
    expect(replies.map((r) => r.jobId).sort()).toEqual(jobs.map((j) => j.jobId).sort());
    expect(Math.max(...replies.map((r) => r.timings.batchSize))).toBeGreaterThan(1);
  });

  it('answers an undecodable image with failed and carries on with the next job', async () => {
    const replyTo = await createReplyQueue(infra);
    const corrupt = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 1)]);
    const bad = await submitJob(infra, corrupt, { filename: 'broken.jpg', replyTo });
    const good = await submitJob(infra, await readPhoto('n01882714_koala.JPEG'), { replyTo });
    const replies = await receiveResults(infra, replyTo, 2, 20_000);
    const byId = new Map(replies.map((r) => [r.jobId, r]));
    expect(byId.get(bad.jobId)).toMatchObject({ status: 'failed', failure: { code: 'undecodable_image' } });
    expect(byId.get(good.jobId)).toMatchObject({ status: 'done', prediction: { label: 'koala' } });
    await queueDrained(infra, infra.queues.requestQueueUrl, 'both jobs to be deleted (no retry of the corrupt image)');
  });

  it('dead-letters a job naming a reply queue outside the response-queue prefix: no reply, no work', async () => {
    // The request queue itself: a reply there would come back to every worker as a job.
    const job = await submitJob(infra, await readPhoto('n01882714_koala.JPEG'), {
      replyTo: infra.queues.requestQueueUrl,
    });
    const { Messages } = await eventually(
      async () => {
        const received = await infra.clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: infra.queues.deadLetterQueueUrl,
            MessageAttributeNames: ['All'],
            WaitTimeSeconds: 1,
          }),
        );
        return received.Messages?.length ? received : undefined;
      },
      20_000,
      'the job in the DLQ',
    );
    expect(JSON.parse(Messages![0]!.Body!)).toEqual(job);
    expect(Messages![0]!.MessageAttributes?.['glimpse-dead-letter-reason']?.StringValue).toMatch(
      /outside the response-queue prefix/,
    );
    await queueDrained(infra, infra.queues.requestQueueUrl, 'the request queue to hold no reply');
    await expect(storedResult(infra, job.jobId)).rejects.toThrow();
  });
});

describe('a job held by a worker that is killed', () => {
  let infra: TestInfrastructure;
  let victim: ChildProcess | undefined;
  let rescuer: RunningWorker | undefined;

  beforeAll(async () => {
    infra = await startTestInfrastructure({ GLIMPSE_JOB_LEASE_SECONDS: '6' });
  });
  afterAll(async () => {
    victim?.kill('SIGKILL');
    await rescuer?.shutdown();
    await infra?.stop();
  });

  it('is done by another worker once its lease runs out', async () => {
    // The victim is a real worker process. Once it is long-polling, freeze it: the emulator hands it
    // the job (now in flight, invisible), but the frozen process never works on it. Then kill it.
    victim = spawn(process.execPath, [DIST_WORKER_ENTRY], {
      env: { ...infra.env, GLIMPSE_WORKER_ID: 'victim', GLIMPSE_IDLE_SECONDS: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    victim.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await eventually(async () => (stderr.includes('worker started') ? true : undefined), 20_000, 'the victim to start');
    await new Promise((resolve) => setTimeout(resolve, 500));
    victim.kill('SIGSTOP');

    const replyTo = await createReplyQueue(infra);
    const job = await submitJob(infra, await readPhoto('n01882714_koala.JPEG'), { replyTo });
    await eventually(
      async () => ((await queueCounts(infra, infra.queues.requestQueueUrl)).inFlight === 1 ? true : undefined),
      10_000,
      'the frozen victim to hold the job',
    );
    victim.kill('SIGKILL');
    await once(victim, 'exit');
    const killedAt = Date.now();

    rescuer = await startWorker(
      loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1', GLIMPSE_WORKER_ID: 'rescuer' }),
      quietLog,
    );
    const [reply] = await receiveResults(infra, replyTo, 1, 30_000);
    expect(reply).toMatchObject({
      jobId: job.jobId,
      status: 'done',
      workerId: 'rescuer',
      prediction: { label: 'koala' },
    });
    // It reappeared only once the victim's lease (6 s) ran out.
    expect(Date.now() - killedAt).toBeGreaterThan(2_000);
  });
});

describe('jobs that fail', () => {
  let infra: TestInfrastructure | undefined;
  let worker: RunningWorker | undefined;

  afterEach(async () => {
    await worker?.shutdown();
    await infra?.stop();
    worker = undefined;
    infra = undefined;
  });

  it('go back to the queue on a transient error and succeed on a later try', async () => {
    infra = await startTestInfrastructure();
    // The worker writes to an output bucket that does not exist yet: storing fails, the job is handed back.
    const outputBucket = 'glimpse-output-late';
    const { logger, records } = recordingLogger('worker');
    worker = await startWorker(
      loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1', GLIMPSE_OUTPUT_BUCKET: outputBucket }),
      logger,
    );
    const replyTo = await createReplyQueue(infra);
    const job = await submitJob(infra, await readPhoto('n01882714_koala.JPEG'), { replyTo });
    await eventually(
      async () =>
        records.some((r) => String(r.msg).startsWith('storing the result failed') && r.jobId === job.jobId)
          ? true
          : undefined,
      10_000,
      'a failed attempt',
    );
    expect(worker.queueWorker.processedJobs).toBe(0);
    await infra.clients.s3.send(new CreateBucketCommand({ Bucket: outputBucket }));
    const [reply] = await receiveResults(infra, replyTo, 1, 20_000);
    expect(reply).toMatchObject({ jobId: job.jobId, status: 'done' });
  });

  it('that are not jobs go straight to the dead-letter queue with the reason', async () => {
    infra = await startTestInfrastructure();
    const queues = infra.queues;
    worker = await startWorker(loadWorkerConfig({ ...infra.env, GLIMPSE_POLL_WAIT_SECONDS: '1' }), quietLog);
    await infra.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queues.requestQueueUrl, MessageBody: '{"version":1,"jobId":"not-a-uuid"}' }),
    );
    const { Messages } = await eventually(
      async () => {
        const received = await infra!.clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queues.deadLetterQueueUrl,
            MessageAttributeNames: ['All'],
            WaitTimeSeconds: 1,
          }),
        );
        return received.Messages?.length ? received : undefined;
      },
      10_000,
      'the malformed message in the DLQ',
    );
    expect(Messages![0]!.Body).toBe('{"version":1,"jobId":"not-a-uuid"}');
    expect(Messages![0]!.MessageAttributes?.['glimpse-dead-letter-reason']?.StringValue).toMatch(/jobId/);
    await queueDrained(infra, queues.requestQueueUrl, 'the request queue to be empty');
  });

  it('that keep failing end in the dead-letter queue through the redrive policy', async () => {
    infra = await startTestInfrastructure({ GLIMPSE_MAX_RECEIVE_COUNT: '2' });
    const queues = infra.queues;
    // Nobody can store results (no output bucket) so even the last try cannot answer: SQS dead-letters it.
    worker = await startWorker(
      loadWorkerConfig({
        ...infra.env,
        GLIMPSE_POLL_WAIT_SECONDS: '1',
        GLIMPSE_OUTPUT_BUCKET: 'glimpse-output-missing',
      }),
      quietLog,
    );
    const job = await submitJob(infra, await readPhoto('n01882714_koala.JPEG'));
    const { Messages } = await eventually(
      async () => {
        const received = await infra!.clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, WaitTimeSeconds: 1 }),
        );
        return received.Messages?.length ? received : undefined;
      },
      20_000,
      'the job in the DLQ',
    );
    expect(JSON.parse(Messages![0]!.Body!).jobId).toBe(job.jobId);
  });
});
