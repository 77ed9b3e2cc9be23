import type { OnModuleInit } from '@nestjs/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueUrlFor } from '#core/aws/queues.js';
import { JobEndings, type EarlyEnding, type EndingOutcome } from '#core/jobs/job-endings.js';
import type { Logger } from '#core/logging/logger.js';
import type { JobStore } from '#core/storage/job-store.js';
import { WebhookRequests } from '#core/webhooks/webhook-requests.js';
import type { WebConfigService } from '../config/web-config.service.js';
import { QueueNotReadyError } from '../errors.js';
import type { RequestQueueService } from '../queues/request-queue.service.js';
import type { ResultWaiter } from '../queues/result-waiter.service.js';

/** What the web tier's job endings are built from (see JobEndingsModule). */
export interface JobEndingsParts {
  readonly sqs: SQSClient;
  readonly store: JobStore;
  readonly config: WebConfigService;
  readonly requests: RequestQueueService;
  readonly waiter: ResultWaiter;
  readonly defaultModel: string;
  readonly log: Logger;
}

/**
 * Ends jobs early from the web tier: `DELETE /v1/classifications/:id` cancels, a due deadline check
 * expires. A request of this process waiting for the job gets the ending at once; one elsewhere
 * through its reply queue; the webhook is requested (core/jobs/job-endings.ts).
 */
export class JobEndingsService implements OnModuleInit {
  private endings: JobEndings | undefined;

  constructor(private readonly parts: JobEndingsParts) {}

  async onModuleInit(): Promise<void> {
    const { sqs, store, config, requests, waiter, defaultModel, log } = this.parts;
    const webhookQueueUrl = await queueUrlFor(sqs, config.names.webhookQueue);
    this.endings = new JobEndings({
      store,
      sqs,
      requestQueueUrl: () => requests.queueUrl,
      webhooks: new WebhookRequests(sqs, webhookQueueUrl),
      answerHere: (record) => waiter.deliver(record),
      endedBy: `web:${config.instanceId}`,
      defaultModel,
      log,
    });
  }

  /** Cancels a job not yet ended; see {@link EndingOutcome}. */
  async cancel(jobId: string): Promise<EndingOutcome> {
    return this.ready.end(jobId, 'canceled');
  }

  /** Expires a job whose deadline passed, unless it has an ending. */
  async expire(jobId: string): Promise<EndingOutcome> {
    return this.ready.end(jobId, 'expired' satisfies EarlyEnding);
  }

  private get ready(): JobEndings {
    if (!this.endings) throw new QueueNotReadyError('webhook');
    return this.endings;
  }
}
