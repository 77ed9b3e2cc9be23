import type { WebhookConfig } from '#core/config/webhook-config.js';
import { WebhookDestinationError } from '#core/webhooks/errors.js';
import { checkWebhookDestination } from '#core/webhooks/webhook-destination.js';
import { WebhookRefusedError } from '../errors.js';

/**
 * Checks a request's webhook before anything is stored: a destination the policy refuses (SSRF:
 * private, loopback, link-local… after DNS resolution), or any webhook when no signing secret is
 * configured, is a 400.
 */
export class WebhookCheck {
  constructor(private readonly config: Pick<WebhookConfig, 'destinations' | 'secret'>) {}

  /** The webhook URL to store with the jobs, normalised; undefined when the request names none. */
  async accept(url: string | undefined): Promise<string | undefined> {
    if (url === undefined) return undefined;
    if (!this.config.secret) throw new WebhookRefusedError('webhooks are off: GLIMPSE_WEBHOOK_SECRET is not set');
    try {
      return (await checkWebhookDestination(url, this.config.destinations)).href;
    } catch (error) {
      if (error instanceof WebhookDestinationError) throw new WebhookRefusedError(error.message, { cause: error });
      throw error;
    }
  }
}
