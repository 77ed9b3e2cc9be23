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

/** What a model expects as input and gives as output. */
export interface ModelSpec {
  readonly name: string;
  readonly description: string;
  readonly weights: ModelArtifact;
  readonly labels: ModelArtifact;
  readonly inputName: string;
  readonly outputName: string;
  /** NCHW input height and width. */
  readonly inputSize: number;
  /** Largest batch the graph accepts in one run; 1 for graphs with a fixed batch dimension. */
  readonly maxBatch: number;
  /** Per-channel (R, G, B) mean and std applied to pixel/255. */
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  /** Shorter side after the aspect-preserving resize, before the centre crop. */
  readonly resizeShorterSide: number;
  /** The output holds logits: softmax gives probabilities. */
  readonly outputIsLogits: boolean;
  readonly license: string;
}

const IMAGENET_LABELS: ModelArtifact = {
  fileName: 'imagenet-labels.txt',
  url: 'https://raw.githubusercontent.com/onnx/models/b1eeaa1ac722dcc1cd1a8284bde34393dab61c3d/validated/vision/classification/synset.txt',
  sha256: 'acf75ef0abe89694b19056e0796401068b459c457baa30335f240c7692857355',
  sizeBytes: 31_675,
};

const IMAGENET_NORMALISATION = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  inputSize: 224,
  resizeShorterSide: 256,
  inputName: 'input',
  outputName: 'output',
  outputIsLogits: true,
  labels: IMAGENET_LABELS,
} as const;

/** The models Glimpse can serve, by name. */
const MODEL_REGISTRY = {
  'mobilenetv2-12-int8': {
    name: 'mobilenetv2-12-int8',
    description: 'ONNX Model Zoo MobileNet v2 1.0, int8 (QOperator), dynamic batch',
    weights: {
      fileName: 'mobilenetv2-12-int8.onnx',
      url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx',
      sha256: 'cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f',
      sizeBytes: 3_655_033,
    },
    maxBatch: 64,
    license: 'Apache-2.0',
    ...IMAGENET_NORMALISATION,
  },
  'shufflenet-v2-12-qdq': {
    name: 'shufflenet-v2-12-qdq',
    description: 'ONNX Model Zoo ShuffleNet v2, int8 (QDQ), fixed batch 1',
    weights: {
      fileName: 'shufflenet-v2-12-qdq.onnx',
      url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/shufflenet/model/shufflenet-v2-12-qdq.onnx',
      sha256: '7c536d02e2f6af9569e5f3c7a4d8282060072119524c93c8da71e63876b4722b',
      sizeBytes: 2_415_805,
    },
    maxBatch: 1,
    license: 'BSD-3-Clause',
    ...IMAGENET_NORMALISATION,
  },
} as const satisfies Record<string, ModelSpec>;

export type ModelName = keyof typeof MODEL_REGISTRY;

export const MODEL_NAMES = Object.keys(MODEL_REGISTRY) as [ModelName, ...ModelName[]];

export const DEFAULT_MODEL: ModelName = 'mobilenetv2-12-int8';

export function modelSpec(name: ModelName): ModelSpec {
  return MODEL_REGISTRY[name];
}
