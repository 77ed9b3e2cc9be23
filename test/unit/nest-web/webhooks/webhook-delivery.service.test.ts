import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import type { WebhookConfig } from '#core/config/webhook-config.js';
import type { ResultRecord } from '#core/contracts/result-record.js';
import { silentLogger } from '#core/logging/logger.js';
import { WebhookDeliveryError } from '#core/webhooks/errors.js';
import type { JobStoreService, StoredJob } from '#web/storage/job-store.service.js';
import { WebhookDeliveryService } from '#web/webhooks/webhook-delivery.service.js';
import { WebhookSettings } from '#web/webhooks/webhook-settings.js';

const JOB_ID = '6f1d2c3b-4a59-4e8f-9a7b-1c2d3e4f5a6b';
const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const canceled: ResultRecord = {
  version: 1,
  jobId: JOB_ID,
  filename: 'cat.jpg',
  model: 'mobilenetv2-12-int8',
  workerId: 'web:test',
  status: 'canceled',
  timings: {
    submittedAt: '2026-12-01T12:00:00.000Z',
    completedAt: '2026-12-01T12:00:01.000Z',
    queueWaitMs: 1000,
    downloadMs: 0,
    preprocessMs: 0,
    inferenceMs: 0,
    batchSize: 0,
    totalMs: 1000,
  },
};

/** The service over a fake store and a fake note of delivered webhooks, with the policy given. */
function deliveryService(options: { stored?: StoredJob; allowHttpLoopback?: boolean; deliveredBefore?: boolean }) {
  const noted: string[] = [];
  const config: WebhookConfig = {
    destinations: { allowHttpLoopback: options.allowHttpLoopback ?? true, allowPrivate: false },
    secret: SECRET,
    retryBaseSeconds: 30,
  };
  const delivered = {
    has: async () => options.deliveredBefore ?? false,
    note: async (jobId: string) => void noted.push(jobId),
  };
  const store = { find: async () => options.stored } as unknown as JobStoreService;
  const logger = new PinoLogger({ pinoHttp: { logger: silentLogger() } });
  const service = new WebhookDeliveryService(store, new WebhookSettings(config, 'glimpse-webhooks', delivered), logger);
  return { service, noted };
}

describe('WebhookDeliveryService', () => {
  let server: Server;
  let url: string;
  let posts: number;
  beforeAll(async () => {
    server = createServer((request, response) => {
      posts++;
      request.resume().on('end', () => response.writeHead(200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  beforeEach(() => (posts = 0));
  afterAll(async () => new Promise((resolve) => server.close(resolve)));

  it('POSTs the stored ending and notes the delivery', async () => {
    // Prepare
    const { service, noted } = deliveryService({ stored: { state: 'finished', record: canceled } });
    // Act
    const outcome = await service.deliver({ version: 1, jobId: JOB_ID, url }, 1);
    // Assess
    expect(outcome).toBe('delivered');
    expect(posts).toBe(1);
    expect(noted).toEqual([JOB_ID]);
  });

  it('drops a delivery whose destination the policy refuses now, without POSTing', async () => {
    // Prepare: loopback was allowed at submission, not any more
    const { service } = deliveryService({ stored: { state: 'finished', record: canceled }, allowHttpLoopback: false });
    // Act
    const outcome = await service.deliver({ version: 1, jobId: JOB_ID, url }, 1);
    // Assess
    expect(outcome).toBe('refused');
    expect(posts).toBe(0);
  });

  it('drops a delivery for a job whose webhook was delivered before, without POSTing', async () => {
    // Prepare
    const { service } = deliveryService({ stored: { state: 'finished', record: canceled }, deliveredBefore: true });
    // Act
    const outcome = await service.deliver({ version: 1, jobId: JOB_ID, url }, 2);
    // Assess
    expect(outcome).toBe('duplicate');
    expect(posts).toBe(0);
  });

  it('throws (to retry later) while the job has no stored ending', async () => {
    // Prepare
    const { service } = deliveryService({ stored: { state: 'queued', filename: 'cat.jpg' } });
    // Act
    const delivery = service.deliver({ version: 1, jobId: JOB_ID, url }, 1);
    // Assess
    await expect(delivery).rejects.toBeInstanceOf(WebhookDeliveryError);
    expect(posts).toBe(0);
  });
});
