import { Module, type DynamicModule } from '@nestjs/common';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DeliveredWebhooks } from '#core/webhooks/delivered-webhooks.js';
import { JobStoreModule } from '../storage/job-store.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import { WebhookSettings } from './webhook-settings.js';

/** The webhook dispatcher: started with the app, stopped at its shutdown (no routes). */
@Module({ providers: [WebhookDeliveryService, WebhookDispatcher] })
export class WebhooksModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(WebhooksModule, parts, () => ({
      imports: [JobStoreModule.register(parts)],
      providers: [
        { provide: SQSClient, useValue: parts.clients.sqs },
        { provide: WebhookSettings, useValue: settingsOf(parts) },
      ],
    }));
  }
}

function settingsOf({ config, clients }: WebTierParts): WebhookSettings {
  const delivered = new DeliveredWebhooks(clients.s3, config.names.outputBucket);
  return new WebhookSettings(config.webhooks, config.names.webhookQueue, delivered);
}
