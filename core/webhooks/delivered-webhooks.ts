import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { unlessMissing } from '../aws/s3-errors.js';

/** Where the output bucket notes a job's delivered webhook (the bucket's lifecycle expires them after days). */
export const DELIVERED_WEBHOOKS_PREFIX = 'webhooks/';

export function deliveredWebhookKeyFor(jobId: string): string {
  return `${DELIVERED_WEBHOOKS_PREFIX}${jobId}.json`;
}

/**
 * The jobs whose webhook a receiver acknowledged (2xx), noted in the output bucket. A delivery
 * requested twice for one job (a worker that stopped between requesting it and acknowledging the
 * job, then a redelivery that requests it again) is then POSTed once.
 */
export class DeliveredWebhooks {
  constructor(
    private readonly s3: S3Client,
    private readonly outputBucket: string,
  ) {}

  async has(jobId: string): Promise<boolean> {
    const head = await unlessMissing(
      this.s3.send(new HeadObjectCommand({ Bucket: this.outputBucket, Key: deliveredWebhookKeyFor(jobId) })),
    );
    return head !== undefined;
  }

  async note(jobId: string, delivery: { readonly status: number; readonly attempt: number }): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.outputBucket,
        Key: deliveredWebhookKeyFor(jobId),
        Body: JSON.stringify({ jobId, ...delivery, deliveredAt: new Date().toISOString() }),
        ContentType: 'application/json',
      }),
    );
  }
}
