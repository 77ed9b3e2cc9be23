import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelContractInput } from '#core/models/model-contract.js';
import { modelMirrorDir } from './paths.js';

/** The ONNX files of ../shared/models a test model folder can hold. */
export const MOBILENET_ONNX = 'mobilenetv2-12-int8.onnx';
export const SHUFFLENET_ONNX = 'shufflenet-v2-12-qdq.onnx';

/** `class-0` … `class-<n-1>`, one a line: a labels file of a model with its own classes. */
export function numberedLabels(classes = 1000): string {
  return `${Array.from({ length: classes }, (_, index) => `class-${index}`).join('\n')}\n`;
}

/** The model.json of the example, for the shared MobileNet file: ImageNet preprocessing, logits. */
export function exampleContract(name: string): ModelContractInput {
  return {
    name,
    version: '3',
    file: 'model.onnx',
    labels: 'labels.txt',
    input: {
      name: 'input',
      layout: 'NCHW',
      size: 224,
      resize: 256,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    output: { name: 'output', kind: 'logits' },
    maxBatch: 16,
  };
}

/**
 * Writes the model folder `<modelDir>/<name>`: an ONNX file of ../shared/models as model.onnx, a
 * labels file, and model.json (the example contract, or what `contract` makes of it; a string is
 * written as it is).
 */
export async function writeModelFolder(
  modelDir: string,
  name: string,
  options: {
    readonly onnx?: string;
    readonly labels?: string;
    readonly contract?: (example: ModelContractInput) => unknown;
  } = {},
): Promise<string> {
  const dir = path.join(modelDir, name);
  await mkdir(dir, { recursive: true });
  const contract = options.contract ? options.contract(exampleContract(name)) : exampleContract(name);
  await Promise.all([
    copyFile(path.join(modelMirrorDir(), options.onnx ?? MOBILENET_ONNX), path.join(dir, 'model.onnx')),
    writeFile(path.join(dir, 'labels.txt'), options.labels ?? numberedLabels()),
    writeFile(
      path.join(dir, 'model.json'),
      typeof contract === 'string' ? contract : `${JSON.stringify(contract, null, 2)}\n`,
    ),
  ]);
  return dir;
}
