import type { InferenceSession } from 'onnxruntime-node';
import { checkGraph, inspectModelGraph, type GraphSignature } from '#core/inference/model-graph.js';
import { ModelContractError } from '#core/models/errors.js';
import { modelContractSchema, type ModelContractInput } from '#core/models/model-contract.js';
import { readModelFolder } from '#core/models/model-folder.js';
import { numberedLabels, SHUFFLENET_ONNX, exampleContract, writeModelFolder } from '../../../support/model-folders.js';
import { useTempFolder } from '../../tools/shared/temp-folder.js';

type Dimension = number | string;
const tensor = (name: string, shape: Dimension[], type = 'float32'): InferenceSession.ValueMetadata =>
  ({ name, isTensor: true, type, shape }) as InferenceSession.ValueMetadata;

/** The signature of a graph with one input and one output. */
const graph = (input: InferenceSession.ValueMetadata, output: InferenceSession.ValueMetadata): GraphSignature => ({
  inputMetadata: [input],
  outputMetadata: [output],
});

/** A model of `classes` labels whose contract is the example's, changed by `change`. */
function model(change: (contract: ModelContractInput) => ModelContractInput = (c) => c, classes = 1000) {
  const contract = modelContractSchema.parse(change(exampleContract('pets')));
  return {
    name: 'pets',
    contract,
    labels: Array.from({ length: classes }, (_, index) => ({ index, label: `c${index}` })),
  };
}

const DYNAMIC_MOBILENET = graph(tensor('input', ['batch_size', 3, 224, 224]), tensor('output', ['batch_size', 1000]));

describe('checkGraph', () => {
  it.each([
    ['a dynamic batch with maxBatch 16', model(), DYNAMIC_MOBILENET],
    [
      'a fixed batch of 1 with maxBatch 1',
      model((c) => ({ ...c, maxBatch: 1 })),
      graph(tensor('input', [1, 3, 224, 224]), tensor('output', [1, 1000])),
    ],
    [
      'an NHWC graph with an NHWC contract',
      model((c) => ({ ...c, input: { ...c.input, layout: 'NHWC' } })),
      graph(tensor('input', ['n', 224, 224, 3]), tensor('output', ['n', 1000])),
    ],
    ['a graph that leaves its shapes open', model(), graph(tensor('input', []), tensor('output', []))],
    [
      'a four-dimensional output of 1000 scores',
      model(),
      graph(tensor('input', ['n', 3, 224, 224]), tensor('output', ['n', 1000, 1, 1])),
    ],
  ])('accepts %s', (_story, checked, signature) => {
    expect(() => checkGraph(checked, signature)).not.toThrow();
  });

  it.each([
    [
      'a wrong input name',
      model((c) => ({ ...c, input: { ...c.input, name: 'data' } })),
      DYNAMIC_MOBILENET,
      'pets/model.json: input.name: "data" is not an input of model.onnx (its inputs: input)',
    ],
    [
      'a wrong output name',
      model((c) => ({ ...c, output: { ...c.output, name: 'softmax_1' } })),
      DYNAMIC_MOBILENET,
      'pets/model.json: output.name: "softmax_1" is not an output of model.onnx (its outputs: output)',
    ],
    [
      'a fixed batch of 1 with maxBatch 16',
      model(),
      graph(tensor('input', [1, 3, 224, 224]), tensor('output', [1, 1000])),
      "pets/model.json: maxBatch: model.onnx's input has shape [1, 3, 224, 224], the contract [N, 3, 224, 224] (NCHW): a fixed batch of 1 needs maxBatch 1",
    ],
    [
      'an NCHW contract on an NHWC graph',
      model(),
      graph(tensor('input', ['n', 224, 224, 3]), tensor('output', ['n', 1000])),
      'pets/model.json: input.layout: ',
    ],
    [
      'another input size',
      model((c) => ({ ...c, input: { ...c.input, size: 299, resize: 320 } })),
      DYNAMIC_MOBILENET,
      'pets/model.json: input.size: ',
    ],
    [
      'a uint8 input',
      model(),
      graph(tensor('input', ['n', 3, 224, 224], 'uint8'), tensor('output', ['n', 1000])),
      'pets/model.json: input.name: model.onnx\'s "input" is uint8; Glimpse uses float32 tensors',
    ],
    [
      'one label too many',
      model((c) => c, 1001),
      DYNAMIC_MOBILENET,
      'pets/labels.txt: 1001 labels, but model.onnx\'s output "output" scores 1000 classes',
    ],
    [
      'two inputs',
      model(),
      { inputMetadata: [tensor('input', []), tensor('mask', [])], outputMetadata: [tensor('output', [])] },
      'pets/model.json: input.name: model.onnx has 2 inputs (input, mask); Glimpse feeds one',
    ],
  ])('refuses %s, naming the field', (_story, checked, signature, reason) => {
    // Act
    let error: unknown;
    try {
      checkGraph(checked, signature);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ModelContractError);
    expect((error as Error).message.startsWith(reason)).toBe(true);
  });
});

describe('inspectModelGraph on the real ONNX files', () => {
  const modelDir = useTempFolder('glimpse-unit-graph-');

  it('accepts the shared MobileNet under the example contract', async () => {
    // Prepare
    const folder = await readModelFolder(await writeModelFolder(modelDir(), 'good'), 'good', 'folder');

    // Act and assess
    await expect(inspectModelGraph(folder)).resolves.toBeUndefined();
  });

  it("reads ShuffleNet's fixed batch of 1 from the file", async () => {
    // Prepare: the example contract says maxBatch 16
    const dir = await writeModelFolder(modelDir(), 'shuffle', { onnx: SHUFFLENET_ONNX, labels: numberedLabels() });
    const folder = await readModelFolder(dir, 'shuffle', 'folder');

    // Act
    const error = await inspectModelGraph(folder).catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toMatch(/^shuffle\/model.json: maxBatch: .*a fixed batch of 1 needs maxBatch 1$/);
  });

  it('names a file onnxruntime cannot load, without the path on this host', async () => {
    // Prepare
    const dir = await writeModelFolder(modelDir(), 'junk', { onnx: 'imagenet-labels.txt' });
    const folder = await readModelFolder(dir, 'junk', 'folder');

    // Act
    const error = await inspectModelGraph(folder).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ModelContractError);
    expect((error as Error).message).toMatch(/^junk\/model.onnx: onnxruntime cannot load it/);
    expect((error as Error).message).not.toContain(modelDir());
  });
});
