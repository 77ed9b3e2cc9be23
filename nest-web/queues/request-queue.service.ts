import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CoalescingSender } from '#core/aws/coalescing-sender.js';
import { queueUrlFor } from '#core/aws/queues.js';
import type { JobMessage } from '#core/contracts/job-message.js';
import { WebConfigService } from '../config/web-config.service.js';
import { QueueNotReadyError } from '../errors.js';

/** What the request queue made of a request's jobs. */
export interface EnqueueOutcome {
  /** Ids of the jobs SQS accepted: they will be done. */
  readonly queued: string[];
  /** Why the others were not queued; absent when every job was. */
  readonly refusal?: Error;
}

/**
 * Sends jobs to the shared request queue. The jobs of concurrent requests travel together, up to
 * ten to a SendMessageBatch (see {@link CoalescingSender}): under load one SQS call per ten jobs,
 * with no added wait for a lone request.
 */
@Injectable()
export class RequestQueueService implements OnModuleInit {
  private url: string | undefined;
  private readonly sender: CoalescingSender;

  constructor(
    private readonly sqs: SQSClient,
    private readonly config: WebConfigService,
  ) {
    this.sender = new CoalescingSender(sqs, () => this.queueUrl);
  }

  async onModuleInit(): Promise<void> {
    this.url = await queueUrlFor(this.sqs, this.config.names.requestQueue);
  }

  get queueUrl(): string {
    if (!this.url) throw new QueueNotReadyError('request');
    return this.url;
  }

  /** Sends the jobs; says which SQS accepted and why it refused the others. */
  async send(jobs: readonly JobMessage[]): Promise<EnqueueOutcome> {
    const outcomes = await this.sender.sendAll(jobs.map((job) => JSON.stringify(job)));
    return {
      queued: jobs.filter((_, index) => outcomes[index] === 'sent').map((job) => job.jobId),
      refusal: outcomes.find((outcome) => outcome !== 'sent'),
    };
  }
}
