import { GlimpseError } from '../errors.js';

/** A webhook URL Glimpse will not POST to (wrong scheme, unresolvable, or a refused address range). */
export class WebhookDestinationError extends GlimpseError {}

/** The webhook's host name did not resolve: refused at submission, but retried at delivery (DNS may recover). */
export class UnresolvableWebhookHostError extends WebhookDestinationError {}

/** The receiver answered a delivery with a non-2xx status, or could not be reached in time. */
export class WebhookDeliveryError extends GlimpseError {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
