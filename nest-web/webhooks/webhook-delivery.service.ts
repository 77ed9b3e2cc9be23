import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { webhookIdFor, type WebhookDelivery } from '#core/contracts/webhook-delivery.js';
import { describeError } from '#core/errors.js';
import { UnresolvableWebhookHostError, WebhookDeliveryError, WebhookDestinationError } from '#core/webhooks/errors.js';
import { postSignedWebhook } from '#core/webhooks/webhook-post.js';
import { resolveWebhookDestination, type CheckedDestination } from '#core/webhooks/webhook-destination.js';
import { toClassificationItem } from '../classifications/classification-view.js';
import { JobStoreService } from '../storage/job-store.service.js';
import { WebhookSettings } from './webhook-settings.js';

/**
 * How one try of a delivery ended: `delivered` (2xx), `refused` (the destination is not allowed), or
 * `duplicate` (a receiver acknowledged this job's webhook before).
 */
export type DeliveryOutcome = 'delivered' | 'refused' | 'duplicate';

/**
 * Makes one try of a webhook delivery: reads the job's stored ending, builds its item exactly as
 * `GET /v1/classifications/:id` answers it, re-checks the destination against the policy, and POSTs
 * it signed. Throws {@link WebhookDeliveryError} (or the failure of a read) when the try is to be retried.
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly store: JobStoreService,
    private readonly settings: WebhookSettings,
    @InjectPinoLogger(WebhookDeliveryService.name) private readonly logger: PinoLogger,
  ) {}

  async deliver(delivery: WebhookDelivery, attempt: number): Promise<DeliveryOutcome> {
    const { jobId } = delivery;
    const secret = this.settings.config.secret;
    if (!secret) throw new WebhookDeliveryError('no webhook secret is configured (GLIMPSE_WEBHOOK_SECRET)');
    if (await this.settings.delivered.has(jobId)) {
      this.logger.info({ jobId, attempt }, 'webhook delivered before; duplicate request dropped');
      return 'duplicate';
    }
    const stored = await this.store.find(jobId);
    if (stored?.state !== 'finished') throw new WebhookDeliveryError('the job has no stored ending yet');
    const destination = await this.destinationOf(delivery, attempt);
    if (!destination) return 'refused';
    const item = toClassificationItem(jobId, stored.record.filename, stored.record, { withTimings: true });
    const status = await postSignedWebhook({
      destination,
      id: webhookIdFor(jobId),
      body: JSON.stringify(item),
      secret,
    });
    if (status < 200 || status >= 300) throw new WebhookDeliveryError(`the receiver answered ${status}`, status);
    this.logger.info({ jobId, status, attempt }, 'webhook delivered');
    // Not noting it only risks a second POST with the same webhook-id; a retry would make one.
    await this.settings.delivered.note(jobId, { status, attempt }).catch((error: unknown) => {
      this.logger.warn({ jobId, error: describeError(error) }, 'could not note the delivered webhook');
    });
    return 'delivered';
  }

  /** The destination checked again now (DNS may have changed since submission); undefined when refused for good. */
  private async destinationOf(delivery: WebhookDelivery, attempt: number): Promise<CheckedDestination | undefined> {
    try {
      return await resolveWebhookDestination(delivery.url, this.settings.config.destinations);
    } catch (error) {
      if (!(error instanceof WebhookDestinationError) || error instanceof UnresolvableWebhookHostError) throw error;
      this.logger.warn(
        { jobId: delivery.jobId, attempt, reason: error.message },
        'webhook destination refused; dropped',
      );
      return undefined;
    }
  }
}
