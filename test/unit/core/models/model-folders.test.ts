import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelContractError } from '#core/models/errors.js';
import { MODEL_JSON } from '#core/models/model-folder.js';
import { builtInFolderPath, openModelFolder, type ModelLocations } from '#core/models/model-folders.js';
import { modelSpec } from '#core/models/registry.js';
import { modelMirrorDir } from '../../../support/paths.js';
import { writeModelFolder } from '../../../support/model-folders.js';

describe('openModelFolder', () => {
  let root: string;
  let locations: ModelLocations;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-open-'));
    locations = {
      cacheDir: path.join(root, 'cache'),
      mirrorDir: modelMirrorDir(),
      modelDir: path.join(root, 'models'),
    };
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('generates a built-in model folder from the registry and the verified files', async () => {
    // Act
    const folder = await openModelFolder('shufflenet-v2-12-qdq', locations);

    // Assess
    const dir = builtInFolderPath(locations.cacheDir, 'shufflenet-v2-12-qdq');
    const spec = modelSpec('shufflenet-v2-12-qdq');
    expect(folder).toMatchObject({ source: 'built-in', sha256: spec.weights.sha256, contract: spec.contract });
    expect(folder.labels[0]).toEqual({ index: 0, wnid: 'n01440764', label: 'tench' });
    expect(JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8'))).toEqual(spec.contract);
    // Linked, not copied: the folder costs no second copy of the weights.
    expect((await stat(path.join(dir, 'model.onnx'))).nlink).toBe(2);
  });

  it('opens a built-in twice, as concurrent worker processes would', async () => {
    // Act
    const [first, second] = await Promise.all([
      openModelFolder('mobilenetv2-12-int8', locations),
      openModelFolder('mobilenetv2-12-int8', locations),
    ]);

    // Assess
    expect(first.sha256).toBe(second.sha256);
  });

  it('reads a folder model from the model dir', async () => {
    // Prepare
    await writeModelFolder(locations.modelDir, 'pets');

    // Act
    const folder = await openModelFolder('pets', locations);

    // Assess
    expect(folder).toMatchObject({ name: 'pets', source: 'folder' });
  });

  it('keeps built-in names for the built-ins: a folder of that name is not read', async () => {
    // Prepare
    await writeModelFolder(locations.modelDir, 'mobilenetv2-12-int8', { labels: 'only\n' });

    // Act
    const folder = await openModelFolder('mobilenetv2-12-int8', locations);

    // Assess
    expect(folder.source).toBe('built-in');
    expect(folder.labels).toHaveLength(1000);
  });

  it.each([
    ['a name with no folder and no built-in', 'resnet-9000', 'resnet-9000: no folder of this name in the model dir'],
    ['a name that could leave the model dir', '../cache', '../cache/model.json: name: '],
  ])('refuses %s', async (_story, name, reason) => {
    // Act
    const error = await openModelFolder(name, locations).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ModelContractError);
    expect((error as Error).message.startsWith(reason)).toBe(true);
  });
});
