import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadWebConfig } from '#core/config/web-config.js';
import { PixelPreprocessor } from '#web/jobs/pixel-preprocessor.js';
import { SHARED_IMAGES } from '../../../support/paths.js';

/** The crop of the default model (224 from 256). */
const crop = { inputSize: 224, resizeShorterSide: 256 };

/** The preprocessor reads spooled files; the shared photos are files already. */
const photo = (name: string) => path.join(SHARED_IMAGES, name);

describe('PixelPreprocessor', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-pixels-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('leaves decoding to the worker by default', async () => {
    // Prepare
    const preprocessor = PixelPreprocessor.forConfig(loadWebConfig({}));
    // Act
    const pixels = await preprocessor.pixelsFor(photo('n01440764_tench.JPEG'), crop);
    // Assess
    expect(pixels).toBeUndefined();
  });

  it("cuts an upload to the model contract when preprocessing is the web tier's", async () => {
    // Prepare
    const preprocessor = PixelPreprocessor.forConfig(loadWebConfig({ GLIMPSE_PREPROCESS_AT: 'web' }));
    // Act
    const pixels = await preprocessor.pixelsFor(photo('n02692877_airship.JPEG'), crop);
    // Assess
    expect(pixels?.contract).toEqual({ size: 224, resize: 256 });
    expect(pixels?.rgb.length).toBe(224 * 224 * 3);
  });

  it('hands an image that does not decode, or is too large, on to the worker', async () => {
    // Prepare
    const preprocessor = PixelPreprocessor.forConfig(
      loadWebConfig({ GLIMPSE_PREPROCESS_AT: 'web', GLIMPSE_MAX_INPUT_PIXELS: '1000' }),
    );
    const brokenFile = path.join(dir, 'broken.jpg');
    await writeFile(brokenFile, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]));
    // Act
    const broken = await preprocessor.pixelsFor(brokenFile, crop);
    const tooLarge = await preprocessor.pixelsFor(photo('n01440764_tench.JPEG'), crop);
    // Assess
    expect(broken).toBeUndefined();
    expect(tooLarge).toBeUndefined();
  });
});
