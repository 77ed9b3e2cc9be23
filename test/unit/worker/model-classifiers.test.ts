import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import type { ImageClassifier } from '#core/inference/batching-classifier.js';
import { silentLogger } from '#core/logging/logger.js';
import { ModelContractError } from '#core/models/errors.js';
import { ModelClassifiers, workerClassifierOpener, type OpenClassifier } from '#worker/model-classifiers.js';
import { writeModelFolder } from '../../support/model-folders.js';
import { useTempFolder } from '../tools/shared/temp-folder.js';

/** An opener that records each model it opens; `fail` decides, per call, what an open throws. */
function opener(fail: (model: string, call: number) => Error | undefined = () => undefined) {
  const opens: string[] = [];
  const closed: string[] = [];
  const open = async (model: string): Promise<ImageClassifier> => {
    opens.push(model);
    const error = fail(model, opens.filter((name) => name === model).length);
    if (error) throw error;
    return { modelName: model, close: async () => void closed.push(model) } as ImageClassifier;
  };
  return { open, opens, closed };
}

describe('ModelClassifiers', () => {
  it('opens each model once, however many jobs name it at once; a job naming none gets the default', async () => {
    // Prepare
    const { open, opens } = opener();
    const models = new ModelClassifiers(['mobilenetv2-12-int8', 'pets'], open);

    // Act
    const opened = await Promise.all([
      models.classifierFor('pets'),
      models.classifierFor(undefined),
      models.classifierFor('pets'),
      models.classifierFor('mobilenetv2-12-int8'),
    ]);

    // Assess
    expect(opens).toEqual(['pets', 'mobilenetv2-12-int8']);
    expect(opened.map((classifier) => classifier.modelName)).toEqual([
      'pets',
      'mobilenetv2-12-int8',
      'pets',
      'mobilenetv2-12-int8',
    ]);
    expect(opened[0]).toBe(opened[2]);
  });

  it('does not open again a model that breaks its contract', async () => {
    // Prepare
    const broken = new ModelContractError('pets', 'model.json', 'file', 'missing');
    const { open, opens } = opener((model) => (model === 'pets' ? broken : undefined));
    const models = new ModelClassifiers(['mobilenetv2-12-int8', 'pets'], open);

    // Act
    const first = await models.classifierFor('pets').catch((e: unknown) => e);
    const second = await models.classifierFor('pets').catch((e: unknown) => e);

    // Assess
    expect([first, second]).toEqual([broken, broken]);
    expect(opens).toEqual(['pets']);
  });

  it('tries again a model whose open failed otherwise (a download, a disk)', async () => {
    // Prepare
    const { open, opens } = opener((_model, call) => (call === 1 ? new Error('network down') : undefined));
    const models = new ModelClassifiers(['mobilenetv2-12-int8', 'pets'], open);

    // Act
    await expect(models.classifierFor('pets')).rejects.toThrow('network down');
    const retried = await models.classifierFor('pets');

    // Assess
    expect(retried.modelName).toBe('pets');
    expect(opens).toEqual(['pets', 'pets']);
  });

  it('opens no model that is not served, whatever a job names', async () => {
    // Prepare
    const { open, opens } = opener();
    const models = new ModelClassifiers(['mobilenetv2-12-int8'], open);

    // Act
    const error = await models.classifierFor('shufflenet-v2-12-qdq').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ModelContractError);
    expect((error as Error).message).toBe('shufflenet-v2-12-qdq: not served by this worker (GLIMPSE_MODELS)');
    expect(opens).toEqual([]);
  });

  it('closes every opened classifier once', async () => {
    // Prepare
    const { open, closed } = opener((model) => (model === 'broken' ? new Error('no') : undefined));
    const models = new ModelClassifiers(['a', 'b', 'broken'], open);
    await models.classifierFor('a');
    await models.classifierFor('b');
    await models.classifierFor('broken').catch(() => undefined);

    // Act
    await models.close();
    await models.close();

    // Assess
    expect(closed.sort()).toEqual(['a', 'b']);
  });
});

describe('workerClassifierOpener', () => {
  const modelDir = useTempFolder('glimpse-unit-opener-');
  const configFor = () =>
    loadWorkerConfig({ GLIMPSE_MODELS: 'pets', GLIMPSE_MODEL_DIR: modelDir(), GLIMPSE_EXECUTION_PROVIDER: 'cpu' });

  /** The worker's opener, counting its opens. */
  const countingOpener = (open: OpenClassifier) => {
    const opens: string[] = [];
    return { opens, open: (model: string) => (opens.push(model), open(model)) };
  };

  it('fails a model whose ONNX file onnxruntime cannot load as a broken contract, opened once', async () => {
    // Prepare: the folder's ONNX file cut short, as an interrupted copy leaves it
    const dir = await writeModelFolder(modelDir(), 'pets');
    const onnx = await readFile(path.join(dir, 'model.onnx'));
    await writeFile(path.join(dir, 'model.onnx'), onnx.subarray(0, 4096));
    const { open, opens } = countingOpener(workerClassifierOpener(configFor(), silentLogger()));
    const models = new ModelClassifiers(['pets'], open);

    // Act
    const first = await models.classifierFor('pets').catch((e: unknown) => e);
    const second = await models.classifierFor('pets').catch((e: unknown) => e);

    // Assess
    expect(first).toBeInstanceOf(ModelContractError);
    expect(second).toBe(first);
    expect((first as Error).message).toMatch(/^pets\/model.onnx: onnxruntime cannot load it: /);
    expect((first as Error).message).not.toContain(modelDir());
    expect(opens).toEqual(['pets']);
  });

  it('opens no model whose folder was not copied from the models bucket: it is unavailable', async () => {
    // Prepare: an old folder on disk, which may not be the one the bucket holds
    await writeModelFolder(modelDir(), 'pets');
    const unsynced = new Map([['pets', new ModelContractError('pets', '', '', 'could not be copied')]]);
    const models = new ModelClassifiers(['pets'], workerClassifierOpener(configFor(), silentLogger(), unsynced));

    // Act
    const error = await models.classifierFor('pets').catch((e: unknown) => e);

    // Assess
    expect(error).toBe(unsynced.get('pets'));
    expect(models.openedModels).toEqual(['pets']);
  });
});
