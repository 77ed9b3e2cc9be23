import { rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelContractError } from '#core/models/errors.js';
import { readModelFolder } from '#core/models/model-folder.js';
import { modelSpec } from '#core/models/registry.js';
import { numberedLabels, writeModelFolder } from '../../../support/model-folders.js';
import { useTempFolder } from '../../tools/shared/temp-folder.js';

describe('readModelFolder', () => {
  const modelDir = useTempFolder('glimpse-unit-folders-');

  it('reads a folder: its contract, the ONNX file and its digest, one label a line', async () => {
    // Prepare
    const dir = await writeModelFolder(modelDir(), 'pets');

    // Act
    const folder = await readModelFolder(dir, 'pets', 'folder');

    // Assess
    expect(folder).toMatchObject({ name: 'pets', source: 'folder', weightsPath: path.join(dir, 'model.onnx') });
    expect(folder.sha256).toBe(modelSpec('mobilenetv2-12-int8').weights.sha256);
    expect(folder.labels).toHaveLength(1000);
    expect(folder.labels[7]).toEqual({ index: 7, label: 'class-7' });
  });

  it.each([
    [
      'a missing field',
      { contract: ({ labels: _labels, ...rest }: Record<string, unknown>) => rest },
      'pets/model.json: labels: ',
    ],
    ['model.json that is not JSON', { contract: () => '{ "name": "pets", ' }, 'pets/model.json: not readable JSON'],
    [
      'another name than its folder',
      { contract: (e: object) => ({ ...e, name: 'cats' }) },
      'pets/model.json: name: "cats"',
    ],
    ['a labels file with a blank line', { labels: 'cat\n\ndog\n' }, 'pets/labels.txt: label line 2 is blank'],
    [
      'an ONNX file name that is not in the folder',
      { contract: (e: object) => ({ ...e, file: 'weights.onnx' }) },
      'pets/model.json: file: weights.onnx is not a file in the model folder',
    ],
  ])('refuses %s, naming the file and the field', async (_story, options, reason) => {
    // Prepare
    const dir = await writeModelFolder(modelDir(), 'pets', options);

    // Act
    const error = await readModelFolder(dir, 'pets', 'folder').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ModelContractError);
    expect((error as Error).message.startsWith(reason)).toBe(true);
    expect((error as Error).message).not.toContain(modelDir());
  });

  it('refuses a folder without model.json', async () => {
    // Prepare
    const dir = await writeModelFolder(modelDir(), 'pets');
    await rm(path.join(dir, 'model.json'));

    // Act
    const error = await readModelFolder(dir, 'pets', 'folder').catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toBe('pets/model.json: missing from the model folder');
  });

  it.each(['labels.txt', 'model.json', 'model.onnx'])(
    'refuses a %s it cannot read with the file and the error code, never its path on this host',
    async (file) => {
      // Prepare: a file even root cannot read (the start of this process's memory is not mapped)
      const dir = await writeModelFolder(modelDir(), 'pets');
      await rm(path.join(dir, file));
      await symlink('/proc/self/mem', path.join(dir, file));

      // Act
      const error = await readModelFolder(dir, 'pets', 'folder').catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ModelContractError);
      expect((error as Error).message).toBe(`pets/${file}: cannot be read (EIO)`);
    },
  );

  it('keeps a final newline from counting as a class', async () => {
    // Prepare
    const dir = await writeModelFolder(modelDir(), 'three', { labels: numberedLabels(3) });
    await writeFile(path.join(dir, 'labels.txt'), 'cat\r\ndog\r\nbird\r\n');

    // Act
    const folder = await readModelFolder(dir, 'three', 'folder');

    // Assess
    expect(folder.labels.map((label) => label.label)).toEqual(['cat', 'dog', 'bird']);
  });
});
