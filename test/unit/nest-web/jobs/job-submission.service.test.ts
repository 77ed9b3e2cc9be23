import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { PinoLogger } from 'nestjs-pino';
import { loadWebConfig } from '#core/config/web-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { BatchStore } from '#core/storage/batch-store.js';
import { JobStore } from '#core/storage/job-store.js';
import type { DeadlineChecksService } from '#web/deadlines/deadline-checks.service.js';
import { WebConfigService } from '#web/config/web-config.service.js';
import { JobsNotQueuedError, UploadNotStoredError, type WebError } from '#web/errors.js';
import { WebErrorFilter } from '#web/http/web-error.filter.js';
import { PixelPreprocessor } from '#web/jobs/pixel-preprocessor.js';
import { JobSubmissionService } from '#web/jobs/job-submission.service.js';
import { RequestQueueService } from '#web/queues/request-queue.service.js';
import type { ResponseQueueService } from '#web/queues/response-queue.service.js';
import { ResultWaiter } from '#web/queues/result-waiter.service.js';
import { ScalerNudgeService } from '#web/scaling/scaler-nudge.service.js';
import { JobStoreService } from '#web/storage/job-store.service.js';
import type { UploadedImage } from '#web/uploads/uploaded-image.js';

const REQUEST_QUEUE_URL = 'http://sqs.test/000000000000/glimpse-requests';
const logger = () => new PinoLogger({ pinoHttp: { logger: silentLogger() } });

/** Spooled uploads as SpoolingStorage leaves them: small files in a temporary folder. */
let spoolDir: string;
beforeAll(async () => {
  spoolDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-spool-'));
  for (let index = 0; index < 12; index++) {
    await writeFile(path.join(spoolDir, String(index)), Buffer.from([0xff, 0xd8, 0xff, index]));
  }
});
afterAll(async () => rm(spoolDir, { recursive: true, force: true }));
const images = (count: number): UploadedImage[] =>
  Array.from({ length: count }, (_, index) => ({
    filename: `photo-${index}.jpg`,
    mimeType: 'image/jpeg',
    path: path.join(spoolDir, String(index)),
    size: 4,
  }));

/** How the fake SQS answers SendMessageBatch: refuse these entries (by position), or fail the call. */
type QueueBehaviour = { refuse: readonly number[] } | { fail: Error };

/** The real service over mocked SQS and S3 (no network): what it sent, and what the scaler heard. */
async function submissionService(queue: QueueBehaviour, { storageFails = false, deadlinesFail = false } = {}) {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const sent: string[] = [];
  const sqsMock = mockClient(sqs);
  sqsMock.on(GetQueueUrlCommand).resolves({ QueueUrl: REQUEST_QUEUE_URL });
  sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    if ('fail' in queue) throw queue.fail;
    const entries = input.Entries ?? [];
    const refused = entries.filter((_, index) => queue.refuse.includes(index));
    sent.push(...entries.filter((entry) => !refused.includes(entry)).map((entry) => entry.MessageBody!));
    return {
      Successful: [],
      Failed: refused.map((entry) => ({ Id: entry.Id, Code: 'InternalError', SenderFault: false, Message: 'busy' })),
    };
  });
  const s3 = new S3Client({ region: 'us-east-1' });
  const endings: Array<{ jobId: string; failure?: { code: string } }> = [];
  const s3Mock = mockClient(s3).on(PutObjectCommand);
  if (storageFails) s3Mock.rejects(new Error('bucket unreachable'));
  else
    s3Mock.callsFake((input: { Key?: string; Body?: unknown }) => {
      if (input.Key?.startsWith('results/')) endings.push(JSON.parse(String(input.Body)));
      return {};
    });

  const config = new WebConfigService(loadWebConfig({ GLIMPSE_INSTANCE_ID: 'unit' }));
  const requests = new RequestQueueService(sqs, config);
  await requests.onModuleInit();
  const responses = { queueUrl: 'http://sqs.test/000000000000/glimpse-responses-unit' } as ResponseQueueService;
  const nudge = jest.fn();
  const waiter = new ResultWaiter();
  const store = new JobStoreService(new JobStore(s3, { inputBucket: 'in', outputBucket: 'out' }));
  const scheduled: Array<{ jobId: string; deadline: string }> = [];
  const deadlines = {
    schedule: async (checks: typeof scheduled) => {
      if (deadlinesFail) throw new Error('deadline queue unreachable');
      scheduled.push(...checks);
    },
  };
  const service = new JobSubmissionService(
    store,
    requests,
    responses,
    waiter,
    new ScalerNudgeService({ nudge }),
    PixelPreprocessor.forConfig(loadWebConfig({})),
    deadlines as unknown as DeadlineChecksService,
    new BatchStore(s3, { outputBucket: 'out' }),
    logger(),
  );
  const queuedJobIds = () => sent.map((body) => (JSON.parse(body) as { jobId: string }).jobId);
  const queuedJobs = () => sent.map((body) => JSON.parse(body) as Record<string, unknown>);
  const storedEndings = () => endings;
  return { service, waiter, nudge, queuedJobIds, queuedJobs, scheduled, sqsMock, storedEndings };
}

/** What a client receives for an error, through the app's WebErrorFilter. */
function answerFor(error: WebError): { status: number; body: Record<string, unknown> } {
  const answer = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    setHeader: () => response,
    status: (status: number) => ((answer.status = status), response),
    json: (body: Record<string, unknown>) => ((answer.body = body), response),
  };
  const request = { complete: true };
  const host = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  new WebErrorFilter(logger()).catch(error, host);
  return answer;
}

describe('JobSubmissionService when the request queue refuses jobs (503 path)', () => {
  it.each([
    ['one of three jobs refused: 503 names the two queued, the scaler still hears', { refuse: [1] }, 3, 2, 1],
    ['every job refused: 503 with no queued job, no nudge', { refuse: [0, 1] }, 2, 0, 0],
    ['the SendMessageBatch call fails: 503 with no queued job, no nudge', { fail: new Error('throttled') }, 2, 0, 0],
  ] as const)('%s', async (_story, behaviour, uploads, queuedCount, nudges) => {
    // Prepare
    const { service, waiter, nudge, queuedJobIds, storedEndings } = await submissionService(behaviour);

    // Act
    const failure = await service.submitAndWait(images(uploads), 20_000).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(JobsNotQueuedError);
    const { status, body } = answerFor(failure as JobsNotQueuedError);
    expect(status).toBe(503);
    expect(body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(body.queuedJobIds).toEqual(queuedJobIds());
    expect(queuedJobIds()).toHaveLength(queuedCount);
    expect(nudge).toHaveBeenCalledTimes(nudges);
    expect(waiter.waiting).toBe(0);
    // Every refused job ends `failed` / `not_queued` at once: nobody waits for it forever.
    const refusedCount = uploads - queuedCount;
    expect(storedEndings().map((record) => record.failure?.code)).toEqual(Array(refusedCount).fill('not_queued'));
    const ended = new Set(storedEndings().map((record) => record.jobId));
    expect(queuedJobIds().filter((jobId) => ended.has(jobId))).toEqual([]);
  });

  it('answers 503 with nothing queued when an upload cannot be stored, and sends no job', async () => {
    // Prepare
    const { service, nudge, sqsMock } = await submissionService({ refuse: [] }, { storageFails: true });

    // Act
    const failure = await service.submitAndWait(images(2), 0).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(UploadNotStoredError);
    const { status, body } = answerFor(failure as UploadNotStoredError);
    expect(status).toBe(503);
    // The SDK's words stay in the log: the body is Glimpse's own.
    expect(body).toMatchObject({ queuedJobIds: [], message: 'could not store the upload; nothing was queued' });
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(nudge).not.toHaveBeenCalled();
  });

  it('queues every job and nudges the scaler once when the queue accepts them all', async () => {
    // Prepare
    const { service, nudge, queuedJobIds } = await submissionService({ refuse: [] });

    // Act
    const jobs = await service.submitAndWait(images(12), 0);

    // Assess
    expect(jobs.map((job) => job.jobId)).toEqual(queuedJobIds());
    expect(jobs.map((job) => job.filename)).toEqual(images(12).map((image) => image.filename));
    expect(nudge).toHaveBeenCalledTimes(1);
  });
});

describe('JobSubmissionService with job options', () => {
  it('gives several files one batch id, and each job its webhook, its deadline and a deadline check', async () => {
    // Prepare
    const { service, queuedJobs, scheduled } = await submissionService({ refuse: [] });
    const before = Date.now();

    // Act
    const submission = await service.submit(images(3), false, {
      webhook: 'https://hooks.example/glimpse',
      deadlineSeconds: 60,
    });

    // Assess
    const jobs = queuedJobs();
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((job) => job.batchId))).toEqual(new Set([submission.batchId]));
    expect(jobs.every((job) => job.webhook === 'https://hooks.example/glimpse')).toBe(true);
    const deadline = Date.parse(jobs[0]!.deadline as string);
    expect(deadline - before).toBeGreaterThanOrEqual(60_000);
    expect(deadline - before).toBeLessThan(65_000);
    expect(scheduled).toEqual(jobs.map((job) => ({ jobId: job.jobId, deadline: job.deadline })));
  });

  it('queues nothing when the deadline checks cannot be sent, and ends every job not_queued at once', async () => {
    // Prepare
    const { service, nudge, sqsMock, storedEndings } = await submissionService({ refuse: [] }, { deadlinesFail: true });

    // Act
    const failure = await service.submit(images(3), false, { deadlineSeconds: 60 }).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(JobsNotQueuedError);
    expect(answerFor(failure as JobsNotQueuedError).body).toMatchObject({ statusCode: 503, queuedJobIds: [] });
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(nudge).not.toHaveBeenCalled();
    // Stored already (uploads, batch): each ends now instead of reading `queued` forever.
    expect(storedEndings().map((record) => record.failure?.code)).toEqual(['not_queued', 'not_queued', 'not_queued']);
  });

  it('gives a single file no batch and sends no deadline check without a deadline', async () => {
    // Prepare
    const { service, queuedJobs, scheduled } = await submissionService({ refuse: [] });

    // Act
    const submission = await service.submit(images(1), false);

    // Assess
    expect(submission.batchId).toBeUndefined();
    expect(queuedJobs()[0]).not.toHaveProperty('batchId');
    expect(scheduled).toEqual([]);
  });
});
