import { describeServedModels, type ServedModel } from '#core/inference/model-catalog.js';
import { modelSpec } from '#core/models/registry.js';
import { UnavailableModelError, UnknownModelError } from '#web/errors.js';
import { ModelCatalogService } from '#web/models/model-catalog.service.js';

const unavailable: ServedModel = {
  name: 'pets',
  isDefault: false,
  available: false,
  reason: 'pets/model.json: input.name: "data" is not an input of model.onnx (its inputs: input)',
};

describe('ModelCatalogService', () => {
  let catalog: ModelCatalogService;
  beforeAll(async () => {
    const builtIns = await describeServedModels({
      models: ['mobilenetv2-12-int8', 'shufflenet-v2-12-qdq'],
      modelDir: '/nowhere',
      cacheDir: '/nowhere',
    });
    catalog = new ModelCatalogService([...builtIns, unavailable]);
  });

  it('resolves a request naming no model to the default', () => {
    expect(catalog.resolve(undefined).name).toBe('mobilenetv2-12-int8');
    expect(catalog.resolve('shufflenet-v2-12-qdq').name).toBe('shufflenet-v2-12-qdq');
  });

  it('refuses a model not served with 400, listing the served ones', () => {
    // Act
    let error: unknown;
    try {
      catalog.resolve('resnet');
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(UnknownModelError);
    expect(error).toMatchObject({
      httpStatus: 400,
      details: { models: ['mobilenetv2-12-int8', 'shufflenet-v2-12-qdq', 'pets'] },
    });
  });

  it('refuses an unavailable model with 422 and its reason', () => {
    expect(() => catalog.resolve('pets')).toThrow(UnavailableModelError);
    expect(() => catalog.resolve('pets')).toThrow(unavailable.reason);
  });

  it('lists each model with what GET /v1/models shows', () => {
    // Act
    const list = catalog.list();

    // Assess
    const spec = modelSpec('shufflenet-v2-12-qdq');
    expect(list.default).toBe('mobilenetv2-12-int8');
    expect(list.models[1]).toEqual({
      name: 'shufflenet-v2-12-qdq',
      default: false,
      available: true,
      source: 'built-in',
      version: spec.contract.version,
      description: spec.description,
      input: spec.contract.input,
      output: spec.contract.output,
      classes: 1000,
      maxBatch: 1,
      sha256: spec.weights.sha256,
    });
    expect(list.models[2]).toEqual({
      name: 'pets',
      default: false,
      available: false,
      reason: unavailable.reason,
      source: 'folder',
    });
  });
});
