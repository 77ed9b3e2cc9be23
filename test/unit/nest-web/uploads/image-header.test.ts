import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { declaredSize } from '#web/uploads/image-header.js';
import { IMAGE_TYPE_SAMPLE_BYTES } from '#web/uploads/image-type.js';
import { pngHeader } from '../../../support/images.js';

describe('declaredSize', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-image-header-'));
  });
  afterEach(async () => rm(folder, { recursive: true, force: true }));

  it('reads the size from the first bytes when they hold the header, without opening the file', async () => {
    // Act: the file does not exist, so only the bytes in hand can tell.
    const size = await declaredSize(pngHeader(65_000, 65_000), path.join(folder, 'never-written'));

    // Assess
    expect(size).toEqual({ width: 65_000, height: 65_000 });
  });

  it("reads the file when the header lies past the first bytes (a JPEG's frame behind a large EXIF block)", async () => {
    // Prepare
    const jpeg = await sharp({ create: { width: 321, height: 123, channels: 3, background: '#808080' } })
      .withExif({ IFD0: { ImageDescription: 'x'.repeat(3 * IMAGE_TYPE_SAMPLE_BYTES) } })
      .jpeg()
      .toBuffer();
    const file = path.join(folder, 'photo');
    await writeFile(file, jpeg);

    // Act
    const size = await declaredSize(jpeg.subarray(0, IMAGE_TYPE_SAMPLE_BYTES), file);

    // Assess: the first bytes alone cannot tell, so the file did.
    expect(size).toEqual({ width: 321, height: 123 });
    expect(await declaredSize(jpeg.subarray(0, IMAGE_TYPE_SAMPLE_BYTES), path.join(folder, 'missing'))).toBeUndefined();
  });

  it('is undefined when neither the bytes nor the file hold a readable header', async () => {
    // Prepare
    const file = path.join(folder, 'noise');
    const noise = Buffer.from([0xff, 0xd8, 0xff, ...Array(5000).fill(7)]);
    await writeFile(file, noise);

    // Act
    const size = await declaredSize(noise.subarray(0, IMAGE_TYPE_SAMPLE_BYTES), file);

    // Assess
    expect(size).toBeUndefined();
  });
});
