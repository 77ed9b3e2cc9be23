import { modelContractSchema, type ModelContract, type ModelContractInput } from './model-contract.js';

/** A file the project names by public URL and sha256, fetched on first use. */
export interface ModelArtifact {
  /** File name in the cache and in a mirror folder. */
  readonly fileName: string;
  /** Public download URL. */
  readonly url: string;
  /** Lower-case hex sha256 of the exact bytes. */
  readonly sha256: string;
  /** Size in bytes, checked before hashing. */
  readonly sizeBytes: number;
}

/**
 * A model Glimpse ships: its files by URL and sha256, and the model.json of the folder generated
 * for it (the same contract a user's model folder has).
 */
export interface BuiltInModel {
  readonly name: string;
  readonly description: string;
  readonly license: string;
  readonly weights: ModelArtifact;
  readonly labels: ModelArtifact;
  /** Lines of the labels file: the classes the model scores. */
  readonly classes: number;
  readonly contract: ModelContract;
}

const IMAGENET_LABELS: ModelArtifact = {
  fileName: 'imagenet-labels.txt',
  url: 'https://raw.githubusercontent.com/onnx/models/b1eeaa1ac722dcc1cd1a8284bde34393dab61c3d/validated/vision/classification/synset.txt',
  sha256: 'acf75ef0abe89694b19056e0796401068b459c457baa30335f240c7692857355',
  sizeBytes: 31_675,
};

/** Classes of the ImageNet-1k label file both built-ins score. */
export const IMAGENET_CLASSES = 1000;

/** The preprocessing contract of both built-ins (../shared/DATA.md). */
const IMAGENET_CONTRACT = {
  file: 'model.onnx',
  labels: 'labels.txt',
  labelFormat: 'synset',
  input: {
    name: 'input',
    layout: 'NCHW',
    size: 224,
    resize: 256,
    channels: 'RGB',
    scale: '0-1',
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  },
  output: { name: 'output', kind: 'logits' },
} as const satisfies Omit<ModelContractInput, 'name' | 'version' | 'maxBatch'>;

/**
 * A built-in model's entry; its version is the start of its weights' sha256, so that it changes
 * exactly when the bytes do.
 */
function builtIn<N extends string>(
  name: N,
  entry: { description: string; license: string; weights: ModelArtifact; maxBatch: number },
) {
  const contract = modelContractSchema.parse({
    ...IMAGENET_CONTRACT,
    name,
    version: entry.weights.sha256.slice(0, 12),
    description: entry.description,
    maxBatch: entry.maxBatch,
  });
  const { description, license, weights } = entry;
  return { name, description, license, weights, labels: IMAGENET_LABELS, classes: IMAGENET_CLASSES, contract };
}

/** The models Glimpse ships, by name. */
const BUILT_IN_MODELS = {
  'mobilenetv2-12-int8': builtIn('mobilenetv2-12-int8', {
    description: 'ONNX Model Zoo MobileNet v2 1.0, int8 (QOperator), dynamic batch',
    weights: {
      fileName: 'mobilenetv2-12-int8.onnx',
      url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx',
      sha256: 'cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f',
      sizeBytes: 3_655_033,
    },
    maxBatch: 64,
    license: 'Apache-2.0',
  }),
  'shufflenet-v2-12-qdq': builtIn('shufflenet-v2-12-qdq', {
    description: 'ONNX Model Zoo ShuffleNet v2, int8 (QDQ), fixed batch 1',
    weights: {
      fileName: 'shufflenet-v2-12-qdq.onnx',
      url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/shufflenet/model/shufflenet-v2-12-qdq.onnx',
      sha256: '7c536d02e2f6af9569e5f3c7a4d8282060072119524c93c8da71e63876b4722b',
      sizeBytes: 2_415_805,
    },
    maxBatch: 1,
    license: 'BSD-3-Clause',
  }),
} satisfies Record<string, BuiltInModel>;

export type BuiltInModelName = keyof typeof BUILT_IN_MODELS;

export const BUILT_IN_MODEL_NAMES = Object.keys(BUILT_IN_MODELS) as [BuiltInModelName, ...BuiltInModelName[]];

/** The model served when the configuration names none. */
export const DEFAULT_MODEL: BuiltInModelName = 'mobilenetv2-12-int8';

export function isBuiltInModel(name: string): name is BuiltInModelName {
  return Object.hasOwn(BUILT_IN_MODELS, name);
}

/** A built-in model's files and contract. */
export function modelSpec(name: BuiltInModelName): BuiltInModel {
  return BUILT_IN_MODELS[name];
}
