import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describeError } from '../errors.js';
import { ModelContractError } from '../models/errors.js';
import { MODEL_JSON, type ModelFolder } from '../models/model-folder.js';

/** What an opened ONNX graph says of its inputs and outputs (an onnxruntime session has both). */
export type GraphSignature = Pick<ort.InferenceSession, 'inputMetadata' | 'outputMetadata'>;

type ValueMetadata = ort.InferenceSession.ValueMetadata;
type CheckedModel = Pick<ModelFolder, 'name' | 'contract' | 'labels'>;

/**
 * Checks an opened graph against its model's contract: one float32 input of the contract's name
 * and shape (a fixed batch of 1 only with `maxBatch: 1`), a float32 output of the contract's name
 * scoring one class per label. Dimensions the graph leaves symbolic are not checked. Throws
 * {@link ModelContractError} naming the model.json field that disagrees.
 */
export function checkGraph(model: CheckedModel, graph: GraphSignature): void {
  const { contract } = model;
  const fail = (field: string, detail: string) => new ModelContractError(model.name, MODEL_JSON, field, detail);
  const names = (values: readonly ValueMetadata[]) => values.map((value) => value.name).join(', ') || 'none';
  const input = graph.inputMetadata.find((value) => value.name === contract.input.name);
  if (!input)
    throw fail(
      'input.name',
      `"${contract.input.name}" is not an input of ${contract.file} (its inputs: ${names(graph.inputMetadata)})`,
    );
  if (graph.inputMetadata.length > 1) {
    throw fail(
      'input.name',
      `${contract.file} has ${graph.inputMetadata.length} inputs (${names(graph.inputMetadata)}); Glimpse feeds one`,
    );
  }
  const output = graph.outputMetadata.find((value) => value.name === contract.output.name);
  if (!output)
    throw fail(
      'output.name',
      `"${contract.output.name}" is not an output of ${contract.file} (its outputs: ${names(graph.outputMetadata)})`,
    );
  checkInputShape(model, float32Shape(input, 'input.name', contract.file, fail), fail);
  checkOutputShape(model, float32Shape(output, 'output.name', contract.file, fail));
}

/** The shape of a float32 tensor value; any other value breaks the contract. */
function float32Shape(value: ValueMetadata, field: string, file: string, fail: Failure): readonly Dimension[] {
  if (!value.isTensor || value.type !== 'float32') {
    throw fail(
      field,
      `${file}'s "${value.name}" is ${value.isTensor ? value.type : 'not a tensor'}; Glimpse uses float32 tensors`,
    );
  }
  return value.shape;
}

type Dimension = number | string;
type Failure = (field: string, detail: string) => ModelContractError;

function checkInputShape({ contract }: CheckedModel, shape: readonly Dimension[], fail: Failure): void {
  if (shape.length === 0) return;
  const { size, layout } = contract.input;
  const expected = layout === 'NCHW' ? ['N', 3, size, size] : ['N', size, size, 3];
  const shown = `${contract.file}'s input has shape [${shape.join(', ')}], the contract [${expected.join(', ')}] (${layout})`;
  if (shape.length !== 4) throw fail('input.layout', shown);
  const batch = shape[0];
  if (typeof batch === 'number' && batch !== 1)
    throw fail('maxBatch', `${shown}: only a dynamic batch or a fixed batch of 1 is served`);
  if (batch === 1 && contract.maxBatch !== 1) throw fail('maxBatch', `${shown}: a fixed batch of 1 needs maxBatch 1`);
  for (let axis = 1; axis < 4; axis++) {
    const dimension = shape[axis];
    if (typeof dimension === 'number' && dimension !== expected[axis]) {
      throw fail(expected[axis] === 3 ? 'input.layout' : 'input.size', shown);
    }
  }
}

function checkOutputShape({ name, contract, labels }: CheckedModel, shape: readonly Dimension[]): void {
  const perImage = shape.slice(1);
  if (perImage.length === 0 || !perImage.every((dimension) => typeof dimension === 'number')) return;
  const classes = perImage.reduce((product, dimension) => product * dimension, 1);
  if (classes !== labels.length) {
    throw new ModelContractError(
      name,
      contract.labels,
      '',
      `${labels.length} labels, but ${contract.file}'s output "${contract.output.name}" scores ${classes} classes`,
    );
  }
}

/**
 * onnxruntime could not open a model's ONNX file (not ONNX, truncated, an operator it lacks): the
 * model breaks its contract. onnxruntime's message names the file by its path on this host; the
 * reason names it as the folder does.
 */
export function unloadableModel(
  model: Pick<ModelFolder, 'name' | 'contract' | 'weightsPath'>,
  error: unknown,
): ModelContractError {
  const detail = describeError(error)
    .replaceAll(model.weightsPath, model.contract.file)
    .replaceAll(`${path.dirname(model.weightsPath)}${path.sep}`, '');
  return new ModelContractError(model.name, model.contract.file, '', `onnxruntime cannot load it: ${detail}`, {
    cause: error,
  });
}

/**
 * Opens a model's graph on the CPU only to check it against the contract, then frees it: how a
 * tier that does not classify (the web tier) learns whether a worker could serve the model.
 */
export async function inspectModelGraph(
  model: Pick<ModelFolder, 'name' | 'contract' | 'labels' | 'weightsPath'>,
): Promise<void> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model.weightsPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      // Only the signature is read: optimising the graph would cost time for nothing.
      graphOptimizationLevel: 'disabled',
    });
  } catch (error) {
    throw unloadableModel(model, error);
  }
  try {
    checkGraph(model, session);
  } finally {
    await session.release();
  }
}
