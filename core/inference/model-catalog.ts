import type { ModelConfig } from '../config/model-config.js';
import { describeError } from '../errors.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { ModelContractError } from '../models/errors.js';
import type { ModelContract } from '../models/model-contract.js';
import type { ModelSource } from '../models/model-folder.js';
import { openModelFolder } from '../models/model-folders.js';
import { isBuiltInModel, modelSpec } from '../models/registry.js';
import { inspectModelGraph } from './model-graph.js';

/** A served model that can classify: what a client may know of it. */
export interface ModelSummary {
  readonly name: string;
  readonly version: string;
  readonly source: ModelSource;
  readonly description?: string;
  readonly contract: ModelContract;
  /** Classes it scores: lines of its labels file. */
  readonly classes: number;
  /** sha256 of its ONNX file. */
  readonly sha256: string;
}

/** One served model as a tier that does not classify knows it: available, or not and why. */
export type ServedModel =
  | { readonly name: string; readonly isDefault: boolean; readonly available: true; readonly summary: ModelSummary }
  | { readonly name: string; readonly isDefault: boolean; readonly available: false; readonly reason: string };

export interface CatalogOptions {
  /** Where the detail of a model's failure goes (the reason a client sees is generic). */
  readonly log?: Logger;
  /** Models known unavailable before any check (a folder the models bucket failed to copy), each with its reason. */
  readonly unavailable?: ReadonlyMap<string, ModelContractError>;
}

/**
 * Describes every served model, in the configured order (the first is the default). A built-in
 * model is described from the registry, which pins its contract and its bytes (the worker and the
 * AMI bake verify them where the files are loaded); a folder model's folder is read and its graph
 * opened and checked, once. A model that fails is unavailable with the reason; the others are not
 * affected. A broken contract's reason names the file and the field; any other failure's reason
 * says only to see the log, where its detail goes, so no error text or host path reaches a client.
 */
export async function describeServedModels(
  config: Pick<ModelConfig, 'models' | 'modelDir' | 'cacheDir' | 'mirrorDir'>,
  { log = silentLogger(), unavailable = new Map() }: CatalogOptions = {},
): Promise<ServedModel[]> {
  return Promise.all(
    config.models.map(async (name, index): Promise<ServedModel> => {
      const isDefault = index === 0;
      try {
        const known = unavailable.get(name);
        if (known) throw known;
        return { name, isDefault, available: true, summary: await summarise(name, config) };
      } catch (error) {
        const reason =
          error instanceof ModelContractError ? error.message : `${name}: could not be checked; see the server log`;
        log.error({ model: name, reason, error: describeError(error) }, 'model unavailable');
        return { name, isDefault, available: false, reason };
      }
    }),
  );
}

async function summarise(
  name: string,
  config: Pick<ModelConfig, 'modelDir' | 'cacheDir' | 'mirrorDir'>,
): Promise<ModelSummary> {
  if (isBuiltInModel(name)) {
    const { contract, classes, weights, description } = modelSpec(name);
    return {
      name,
      version: contract.version,
      source: 'built-in',
      description,
      contract,
      classes,
      sha256: weights.sha256,
    };
  }
  const folder = await openModelFolder(name, config);
  await inspectModelGraph(folder);
  const { contract, labels, sha256 } = folder;
  return {
    name,
    version: contract.version,
    source: folder.source,
    ...(contract.description ? { description: contract.description } : {}),
    contract,
    classes: labels.length,
    sha256,
  };
}
