import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueUrlFor } from '#core/aws/queues.js';
import type { JobMessage } from '#core/contracts/job-message.js';
import type { WebConfig } from '#core/config/web-config.js';
import { SQS_CLIENT, WEB_CONFIG } from '../aws/tokens.js';

const SQS_BATCH_LIMIT = 10;

/** Sends jobs to the shared request queue. */
@Injectable()
export class RequestQueueService implements OnModuleInit {
  private url: string | undefined;

  constructor(
    @Inject(SQS_CLIENT) private readonly sqs: SQSClient,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.url = await queueUrlFor(this.sqs, this.config.names.requestQueue);
  }

  get queueUrl(): string {
    if (!this.url) throw new Error('request queue URL not resolved yet');
    return this.url;
  }

  /**
   * Sends the jobs in batches of ten. Returns the ids of the jobs that SQS accepted and the first
   * error, if any (the caller tells the client which jobs are queued).
   */
  async send(jobs: readonly JobMessage[]): Promise<{ sent: string[]; error?: Error }> {
    const sent: string[] = [];
    for (let start = 0; start < jobs.length; start += SQS_BATCH_LIMIT) {
      const chunk = jobs.slice(start, start + SQS_BATCH_LIMIT);
      try {
        const { Failed } = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: chunk.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
          }),
        );
        const failed = new Set((Failed ?? []).map((entry) => Number(entry.Id)));
        chunk.forEach((job, index) => failed.has(index) || sent.push(job.jobId));
        if (failed.size > 0) {
          const reasons = (Failed ?? []).map((entry) => entry.Message ?? entry.Code).join('; ');
          return { sent, error: new Error(`the request queue refused ${failed.size} job(s): ${reasons}`) };
        }
      } catch (error) {
        return { sent, error: error as Error };
      }
    }
    return { sent };
  }
}
