import type { ModelList, ModelListing } from '#core/contracts/model-listing.js';
import type { ModelSummary, ServedModel } from '#core/inference/model-catalog.js';
import { isBuiltInModel } from '#core/models/registry.js';
import { UnavailableModelError, UnknownModelError } from '../errors.js';

/**
 * The models this web tier serves, as checked once at start: which a request may name, which is
 * the default, and why one is unavailable. The workers load the same folders.
 */
export class ModelCatalogService {
  private readonly byName: ReadonlyMap<string, ServedModel>;

  constructor(private readonly served: readonly ServedModel[]) {
    this.byName = new Map(served.map((model) => [model.name, model]));
  }

  /** The model requests that name none get. */
  get defaultModel(): string {
    return this.served[0]!.name;
  }

  /** Every served model's name, the default first. */
  get names(): string[] {
    return this.served.map((model) => model.name);
  }

  /**
   * The available model a request names (the default when it names none); throws UnknownModelError
   * (400) for a name not served, UnavailableModelError (422) for a model that failed its checks.
   */
  resolve(name: string | undefined): ModelSummary {
    const model = this.byName.get(name ?? this.defaultModel);
    if (!model) throw new UnknownModelError(name!, this.names);
    if (!model.available) throw new UnavailableModelError(model.name, model.reason);
    return model.summary;
  }

  /** `GET /v1/models`. */
  list(): ModelList {
    return { default: this.defaultModel, models: this.served.map(toListing) };
  }
}

function toListing(model: ServedModel): ModelListing {
  const common = { name: model.name, default: model.isDefault };
  if (!model.available) {
    return {
      ...common,
      available: false,
      reason: model.reason,
      source: isBuiltInModel(model.name) ? 'built-in' : 'folder',
    };
  }
  const { summary } = model;
  return {
    ...common,
    available: true,
    source: summary.source,
    version: summary.version,
    ...(summary.description ? { description: summary.description } : {}),
    input: summary.contract.input,
    output: summary.contract.output,
    classes: summary.classes,
    maxBatch: summary.contract.maxBatch,
    sha256: summary.sha256,
  };
}
