import { z } from 'zod';

/**
 * A webhook delivery to make, on the webhook queue: whoever stores a job's ending first (a worker:
 * done or failed; the web tier: canceled or expired; the dead-letter settler: failed) asks for one.
 * The dispatcher reads the stored ending and POSTs the job's item to `url`, signed.
 */
export const webhookDeliverySchema = z.object({
  version: z.literal(1),
  jobId: z.uuid(),
  url: z.url().max(2048),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** The Standard Webhooks `webhook-id` of a job's delivery: the same on every retry, so receivers can de-duplicate. */
export function webhookIdFor(jobId: string): string {
  return `msg_${jobId}`;
}
