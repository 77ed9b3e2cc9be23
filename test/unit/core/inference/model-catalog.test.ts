import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeServedModels } from '#core/inference/model-catalog.js';
import { ModelContractError } from '#core/models/errors.js';
import { modelSpec } from '#core/models/registry.js';
import { recordingLogger } from '../../../support/logs.js';
import { writeModelFolder } from '../../../support/model-folders.js';

describe("describeServedModels (the web tier's view)", () => {
  let root: string;
  let locations: { modelDir: string; cacheDir: string };
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-catalog-'));
    locations = { modelDir: path.join(root, 'models'), cacheDir: path.join(root, 'cache') };
    await writeModelFolder(locations.modelDir, 'pets');
    await writeModelFolder(locations.modelDir, 'no-file', { contract: ({ file: _file, ...rest }: any) => rest });
    await writeModelFolder(locations.modelDir, 'wrong-input', {
      contract: (example: any) => ({ ...example, input: { ...example.input, name: 'data' } }),
    });
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('lists every served model in order, the first the default, each available or with its reason', async () => {
    // Act
    const served = await describeServedModels({
      ...locations,
      models: ['mobilenetv2-12-int8', 'pets', 'no-file', 'wrong-input', 'missing'],
    });

    // Assess
    expect(served.map((model) => [model.name, model.isDefault, model.available])).toEqual([
      ['mobilenetv2-12-int8', true, true],
      ['pets', false, true],
      ['no-file', false, false],
      ['wrong-input', false, false],
      ['missing', false, false],
    ]);
    const reasons = served.flatMap((model) => (model.available ? [] : [model.reason]));
    expect(reasons[0]).toMatch(/^no-file\/model.json: file: /);
    expect(reasons[1]).toBe(
      'wrong-input/model.json: input.name: "data" is not an input of model.onnx (its inputs: input)',
    );
    expect(reasons[2]).toBe('missing: no folder of this name in the model dir, and no built-in model of this name');
  });

  it('describes a built-in from the registry without fetching its files', async () => {
    // Act
    const [served] = await describeServedModels({ ...locations, models: ['shufflenet-v2-12-qdq'] });

    // Assess
    const spec = modelSpec('shufflenet-v2-12-qdq');
    expect(served).toMatchObject({
      available: true,
      summary: { source: 'built-in', version: spec.contract.version, classes: 1000, sha256: spec.weights.sha256 },
    });
    expect(existsSync(locations.cacheDir)).toBe(false);
  });

  it("describes a folder model by its folder: version, classes, the ONNX file's digest", async () => {
    // Act
    const [, served] = await describeServedModels({ ...locations, models: ['mobilenetv2-12-int8', 'pets'] });

    // Assess
    expect(served).toMatchObject({
      name: 'pets',
      isDefault: false,
      available: true,
      summary: {
        source: 'folder',
        version: '3',
        classes: 1000,
        sha256: modelSpec('mobilenetv2-12-int8').weights.sha256,
      },
    });
  });

  it("lists a model known unavailable with its reason, and logs each failure's detail, not to clients", async () => {
    // Prepare: a labels file even root cannot read; a model whose folder the models bucket did not copy
    const dir = await writeModelFolder(locations.modelDir, 'unreadable');
    await rm(path.join(dir, 'labels.txt'));
    await symlink('/proc/self/mem', path.join(dir, 'labels.txt'));
    const unsynced = new ModelContractError('pets', '', '', 'could not be copied from the models bucket');
    const { logger, records } = recordingLogger();

    // Act
    const served = await describeServedModels(
      { ...locations, models: ['mobilenetv2-12-int8', 'pets', 'unreadable'] },
      { log: logger, unavailable: new Map([['pets', unsynced]]) },
    );

    // Assess
    expect(served.map((model) => (model.available ? 'available' : model.reason))).toEqual([
      'available',
      'pets: could not be copied from the models bucket',
      'unreadable/labels.txt: cannot be read (EIO)',
    ]);
    expect(records).toContainEqual(
      expect.objectContaining({ model: 'unreadable', msg: 'model unavailable', error: expect.stringContaining('EIO') }),
    );
  });
});
