import type { WebhookConfig } from '#core/config/webhook-config.js';
import type { DeliveredWebhooks } from '#core/webhooks/delivered-webhooks.js';

/** What the webhook dispatcher needs: the webhook config, the queue's name, and the delivered webhooks' notes. */
export class WebhookSettings {
  constructor(
    readonly config: WebhookConfig,
    readonly queueName: string,
    readonly delivered: Pick<DeliveredWebhooks, 'has' | 'note'>,
  ) {}
}
