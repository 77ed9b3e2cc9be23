import path from 'node:path';
import { loadModelConfig } from '#core/config/model-config.js';
import { ConfigError } from '#core/errors.js';

describe('loadModelConfig', () => {
  it('serves the default built-in alone, with the model dir inside the cache', () => {
    expect(loadModelConfig({ GLIMPSE_DATA_DIR: '/data' })).toEqual({
      models: ['mobilenetv2-12-int8'],
      model: 'mobilenetv2-12-int8',
      cacheDir: path.resolve('/data/models'),
      modelDir: path.resolve('/data/models/folders'),
      mirrorDir: undefined,
    });
  });

  it.each([
    [
      'GLIMPSE_MODELS, the first the default',
      { GLIMPSE_MODELS: 'pets, mobilenetv2-12-int8' },
      ['pets', 'mobilenetv2-12-int8'],
    ],
    ['GLIMPSE_MODEL as a one-model list', { GLIMPSE_MODEL: 'shufflenet-v2-12-qdq' }, ['shufflenet-v2-12-qdq']],
    ['both, when they agree on the default', { GLIMPSE_MODEL: 'pets', GLIMPSE_MODELS: 'pets,cats' }, ['pets', 'cats']],
  ])('reads the served models from %s', (_story, env, models) => {
    // Act
    const config = loadModelConfig(env);

    // Assess
    expect(config.models).toEqual(models);
    expect(config.model).toBe(models[0]);
  });

  it('copies folder models from a bucket under models/ unless told another prefix', () => {
    expect(loadModelConfig({ GLIMPSE_MODELS_BUCKET: 'glimpse-models-1' }).bucket).toEqual({
      name: 'glimpse-models-1',
      prefix: 'models/',
    });
    expect(
      loadModelConfig({ GLIMPSE_MODELS_BUCKET: 'b-1', GLIMPSE_MODELS_PREFIX: 'team/models/' }).bucket?.prefix,
    ).toBe('team/models/');
  });

  it.each([
    ['a default that disagrees with GLIMPSE_MODELS', { GLIMPSE_MODEL: 'cats', GLIMPSE_MODELS: 'pets,cats' }],
    ['a model named twice', { GLIMPSE_MODELS: 'pets,pets' }],
    ['a name with a path in it', { GLIMPSE_MODELS: 'pets,../../etc' }],
    ['an empty name in the list', { GLIMPSE_MODELS: 'pets,,cats' }],
    ['a prefix that does not end in /', { GLIMPSE_MODELS_BUCKET: 'b-1', GLIMPSE_MODELS_PREFIX: 'models' }],
  ])('refuses %s', (_story, env) => {
    expect(() => loadModelConfig(env)).toThrow(ConfigError);
  });
});
