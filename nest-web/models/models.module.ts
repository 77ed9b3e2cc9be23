import { Module, type DynamicModule } from '@nestjs/common';
import { describeServedModels } from '#core/inference/model-catalog.js';
import { syncServedModels } from '#core/models/bucket-sync.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { ModelCatalogService } from './model-catalog.service.js';
import { ModelsController } from './models.controller.js';

/**
 * The served models as {@link ModelCatalogService}, and GET /v1/models. Built once at start: the
 * folder models copied from the models bucket (on AWS), then every model checked as a worker
 * would (model.json, files, labels, the ONNX graph's inputs and outputs), without classifying.
 */
@Module({ controllers: [ModelsController] })
export class ModelsModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(ModelsModule, parts, () => ({
      providers: [{ provide: ModelCatalogService, useFactory: () => loadCatalog(parts) }],
      exports: [ModelCatalogService],
    }));
  }
}

async function loadCatalog({ config, clients, logger }: WebTierParts): Promise<ModelCatalogService> {
  const { model } = config;
  const unavailable = await syncServedModels(model, clients.s3, logger);
  // The catalog logs each unavailable model with its detail.
  const served = await describeServedModels(model, { log: logger, unavailable });
  for (const entry of served) {
    if (entry.available) logger.info({ model: entry.name, version: entry.summary.version }, 'model available');
  }
  return new ModelCatalogService(served);
}
