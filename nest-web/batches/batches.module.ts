import { Module, type DynamicModule } from '@nestjs/common';
import { BatchStore } from '#core/storage/batch-store.js';
import { JobStore } from '#core/storage/job-store.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { BatchEndings } from './batch-endings.js';
import { BatchesController } from './batches.controller.js';
import { BatchesService } from './batches.service.js';

/** GET /v1/batches/:id and its event stream, over the output bucket. */
@Module({ controllers: [BatchesController], providers: [BatchesService] })
export class BatchesModule {
  static register(parts: WebTierParts): DynamicModule {
    const { inputBucket, outputBucket } = parts.config.names;
    const endings = new BatchEndings(
      new BatchStore(parts.clients.s3, { outputBucket }),
      new JobStore(parts.clients.s3, { inputBucket, outputBucket }),
    );
    return registerOnce(BatchesModule, parts, () => ({ providers: [{ provide: BatchEndings, useValue: endings }] }));
  }
}
