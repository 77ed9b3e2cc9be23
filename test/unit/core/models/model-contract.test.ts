import { modelContractSchema, modelNameSchema, preprocessSpecOf } from '#core/models/model-contract.js';
import { BUILT_IN_MODEL_NAMES, modelSpec } from '#core/models/registry.js';
import { exampleContract } from '../../../support/model-folders.js';

describe('the model contract (model.json)', () => {
  it("accepts the issue's example and fills the defaults a real model needs", () => {
    // Act
    const contract = modelContractSchema.parse(exampleContract('pets'));

    // Assess
    expect(contract).toMatchObject({ name: 'pets', version: '3', labelFormat: 'plain', maxBatch: 16 });
    expect(contract.input).toMatchObject({ layout: 'NCHW', channels: 'RGB', scale: '0-1', size: 224, resize: 256 });
  });

  it('gives an input without normalisation identity mean and std, and resizes to the input size', () => {
    // Prepare
    const { input } = exampleContract('bare');
    const bare = { ...exampleContract('bare'), input: { name: input.name, size: 299 } };

    // Act
    const spec = preprocessSpecOf(modelContractSchema.parse(bare).input);

    // Assess
    expect(spec).toEqual({
      inputSize: 299,
      resizeShorterSide: 299,
      layout: 'NCHW',
      channels: 'RGB',
      scale: '0-1',
      mean: [0, 0, 0],
      std: [1, 1, 1],
    });
  });

  it('takes a numeric version as its text', () => {
    expect(modelContractSchema.parse({ ...exampleContract('pets'), version: 7 }).version).toBe('7');
  });

  it.each([
    ['a missing field', ({ file: _file, ...rest }: Record<string, unknown>) => rest, 'file'],
    ['a misspelt field', (example: Record<string, unknown>) => ({ ...example, maxbatch: 4 }), ''],
    [
      'a layout that is neither NCHW nor NHWC',
      (e: any) => ({ ...e, input: { ...e.input, layout: 'CHW' } }),
      'input.layout',
    ],
    ['a resize smaller than the crop', (e: any) => ({ ...e, input: { ...e.input, resize: 200 } }), 'input.resize'],
    ['a zero std', (e: any) => ({ ...e, input: { ...e.input, std: [1, 0, 1] } }), 'input.std'],
    ['a file outside the folder', (e: Record<string, unknown>) => ({ ...e, file: '../other/model.onnx' }), 'file'],
    ['an absolute labels path', (e: Record<string, unknown>) => ({ ...e, labels: '/etc/passwd' }), 'labels'],
    [
      'an output kind other than logits or probabilities',
      (e: any) => ({ ...e, output: { ...e.output, kind: 'raw' } }),
      'output.kind',
    ],
  ])('refuses %s, naming the field', (_story, change, field) => {
    // Act
    const parsed = modelContractSchema.safeParse(change(exampleContract('pets') as never));

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path.join('.')).toBe(field);
  });

  it.each(['pets', 'resnet-50.v2', 'a_b'])('takes %s as a model name', (name) => {
    expect(modelNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['', '..', '../pets', 'a/b', '.hidden', 'Pets', 'a..b', 'x'.repeat(65)])(
    'refuses "%s" as a model name',
    (name) => {
      expect(modelNameSchema.safeParse(name).success).toBe(false);
    },
  );

  it.each(BUILT_IN_MODEL_NAMES)('expresses the built-in %s in the same contract (DATA.md preprocessing)', (name) => {
    // Act
    const { contract, weights } = modelSpec(name);

    // Assess
    expect(modelContractSchema.parse(contract)).toEqual(contract);
    expect(contract).toMatchObject({ name, labelFormat: 'synset', version: weights.sha256.slice(0, 12) });
    const { input, output } = contract;
    expect([input.name, input.layout, input.channels, input.scale]).toEqual(['input', 'NCHW', 'RGB', '0-1']);
    expect([input.size, input.resize, input.mean, input.std]).toEqual([
      224,
      256,
      [0.485, 0.456, 0.406],
      [0.229, 0.224, 0.225],
    ]);
    expect(output).toEqual({ name: 'output', kind: 'logits' });
  });

  it('marks the batch-1 ShuffleNet with maxBatch 1', () => {
    expect(modelSpec('shufflenet-v2-12-qdq').contract.maxBatch).toBe(1);
    expect(modelSpec('mobilenetv2-12-int8').contract.maxBatch).toBeGreaterThan(1);
  });
});
