import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { loadWebConfig } from '#core/config/web-config.js';
import type { ModelList } from '#core/contracts/model-listing.js';
import { silentLogger } from '#core/logging/logger.js';
import { syncModelFolders } from '#core/models/bucket-sync.js';
import { openModelFolder } from '#core/models/model-folders.js';
import { createWebApp } from '#web/app.factory.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';
import { writeModelFolder } from '../support/model-folders.js';

const BUCKET = 'glimpse-models';

describe('model folders from the models bucket (AWS: `aws s3 sync ./pets s3://…/models/pets/`)', () => {
  let infra: TestInfrastructure;
  /** A model folder on this disk, as a user has it before the sync. */
  let pets: string;

  /** Puts every file of a local folder under `<prefix>` in the models bucket, as `aws s3 sync` does. */
  const putFolder = async (folder: string, prefix: string) => {
    for (const file of await readdir(folder)) {
      await infra.clients.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `${prefix}${file}`,
          Body: await readFile(path.join(folder, file)),
        }),
      );
    }
  };
  const sync = (names: string[], modelDir: string, limits?: { maxObjects: number; maxBytes: number }) =>
    syncModelFolders(names, {
      s3: infra.clients.s3,
      bucket: BUCKET,
      prefix: 'models/',
      modelDir,
      log: silentLogger(),
      ...(limits ? { limits } : {}),
    });

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    await infra.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    pets = await writeModelFolder(path.join(infra.dataDir, 'user'), 'pets');
    await putFolder(pets, 'models/pets/');
  });
  afterAll(async () => infra?.stop());

  it("copies a served folder model's files into the model dir, where it opens like any folder", async () => {
    // Prepare
    const modelDir = path.join(infra.dataDir, 'synced');

    // Act
    const reports = await sync(['mobilenetv2-12-int8', 'pets'], modelDir);

    // Assess
    expect(reports).toEqual([{ name: 'pets', files: 3, bytes: expect.any(Number) }]);
    expect((await readdir(path.join(modelDir, 'pets'))).sort()).toEqual(['labels.txt', 'model.json', 'model.onnx']);
    const folder = await openModelFolder('pets', { modelDir, cacheDir: path.join(infra.dataDir, 'cache') });
    expect(folder).toMatchObject({ name: 'pets', source: 'folder' });
  });

  it('replaces a folder whole: a file the bucket no longer holds is gone', async () => {
    // Prepare
    const modelDir = path.join(infra.dataDir, 'replaced');
    await writeModelFolder(modelDir, 'pets');
    await writeModelFolder(path.join(modelDir, 'pets'), 'stale');

    // Act
    await sync(['pets'], modelDir);

    // Assess
    expect((await readdir(path.join(modelDir, 'pets'))).sort()).toEqual(['labels.txt', 'model.json', 'model.onnx']);
  });

  it('reports, and copies nothing of, a prefix holding more than a model folder may', async () => {
    // Prepare
    const modelDir = path.join(infra.dataDir, 'bounded');

    // Act
    const reports = await sync(['pets'], modelDir, { maxObjects: 2, maxBytes: 1024 ** 3 });

    // Assess
    expect(reports).toEqual([{ name: 'pets', error: expect.stringMatching(/more than 2 files/) }]);
    await expect(readdir(modelDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves a model the bucket does not hold as the model dir has it', async () => {
    expect(await sync(['cats'], path.join(infra.dataDir, 'none'))).toEqual([{ name: 'cats', files: 0, bytes: 0 }]);
  });

  it('serves the synced folder from a web tier given GLIMPSE_MODELS_BUCKET', async () => {
    // Prepare
    const config = loadWebConfig({
      ...infra.env,
      PORT: '0',
      GLIMPSE_MODELS: 'mobilenetv2-12-int8,pets',
      GLIMPSE_MODELS_BUCKET: BUCKET,
      GLIMPSE_MODEL_DIR: path.join(infra.dataDir, 'web-models'),
    });
    const app = await createWebApp(config, infra.clients, { logger: silentLogger() });
    await app.listen(0, '127.0.0.1');
    try {
      // Act
      const list = (await (await fetch(`${await app.getUrl()}/v1/models`)).json()) as ModelList;

      // Assess
      expect(list.models.map((model) => [model.name, model.available])).toEqual([
        ['mobilenetv2-12-int8', true],
        ['pets', true],
      ]);
    } finally {
      await app.close();
    }
  });
});
