import sharp, { type Sharp } from 'sharp';
import { preprocessSpecOf, type PreprocessSpec } from '#core/models/model-contract.js';
import { modelSpec } from '#core/models/registry.js';
import { ImageDecodeError } from '#core/inference/errors.js';
import { decodeToRgbSquare, resizedSize, toTensorData } from '#core/inference/preprocess.js';

const spec = preprocessSpecOf(modelSpec('mobilenetv2-12-int8').contract.input);
const limits = { maxInputPixels: 10_000_000 };
const PLANE = 224 * 224;
const RED = { r: 255, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 255 };

/** Expected normalised value of an 8-bit channel value, computed by hand from DATA.md. */
const normalised = (value: number, channel: 0 | 1 | 2) => (value / 255 - spec.mean[channel]) / spec.std[channel];

/** Builds an image whose left half is `left` and right half is `right`. */
async function halves(width: number, height: number, left: typeof RED, right: typeof RED): Promise<Sharp> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = x < width / 2 ? left : right;
      raw.set([colour.r, colour.g, colour.b], (y * width + x) * 3);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/** The normalised (R, G, B) of pixel (row, col) of image n in an NCHW tensor. */
function pixel(tensor: Float32Array, row: number, col: number, n = 0): [number, number, number] {
  const base = n * 3 * PLANE + row * 224 + col;
  return [tensor[base]!, tensor[base + PLANE]!, tensor[base + 2 * PLANE]!];
}

describe('resizedSize (shorter side to 256, longer side rounded)', () => {
  it.each([
    ['portrait 300x400', 300, 400, { width: 256, height: 341 }],
    ['landscape 640x480', 640, 480, { width: 341, height: 256 }],
    ['square 500x500', 500, 500, { width: 256, height: 256 }],
    ['smallest shared photo 86x108', 86, 108, { width: 256, height: 321 }],
    ['upscaled tiny 10x20', 10, 20, { width: 256, height: 512 }],
  ])('%s', (_name, width, height, expected) => {
    expect(resizedSize(width, height, 256)).toEqual(expected);
  });
});

/** A contract of side `inputSize`: NCHW, RGB, 0–1 unless overridden. */
const tinySpec = (inputSize: number, overrides: Partial<PreprocessSpec> = {}): PreprocessSpec => ({
  inputSize,
  resizeShorterSide: inputSize,
  layout: 'NCHW',
  channels: 'RGB',
  scale: '0-1',
  mean: [0, 0, 0],
  std: [1, 1, 1],
  ...overrides,
});

describe('toTensorData', () => {
  it('writes planes R, G, B with (pixel/255 - mean)/std, image after image', () => {
    const tiny = tinySpec(2, { mean: [0.5, 0.25, 0], std: [0.5, 0.25, 1] });
    // Two 2x2 RGB images, interleaved HWC.
    const first = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 51, 102, 153]);
    const second = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255]);
    const out = Array.from(toTensorData([first, second], tiny));
    const expected = [
      // image 0, R plane: (v/255 - 0.5)/0.5
      1, -1, -1, -0.6,
      // image 0, G plane: (v/255 - 0.25)/0.25
      -1, 3, -1, 0.6,
      // image 0, B plane: v/255
      0, 0, 1, 0.6,
      // image 1
      -1, -1, -1, 1, -1, -1, -1, 3, 0, 0, 0, 1,
    ];
    out.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
  });

  it.each([
    ['NCHW, RGB: a plane per channel', {}, [1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]],
    ['NHWC interleaves the channels per pixel', { layout: 'NHWC' }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
    ['BGR puts the blue plane first', { channels: 'BGR' }, [3, 6, 9, 12, 2, 5, 8, 11, 1, 4, 7, 10]],
    ['NHWC and BGR together', { layout: 'NHWC', channels: 'BGR' }, [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]],
  ] as const)('on the 0–255 scale, %s', (_story, overrides, expected) => {
    // Prepare: one 2x2 image, pixels (1, 2, 3), (4, 5, 6), (7, 8, 9), (10, 11, 12)
    const spec255 = tinySpec(2, { scale: '0-255', ...overrides });
    const image = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Act
    const out = Array.from(toTensorData([image], spec255));
    // Assess
    expect(out).toEqual(expected);
  });

  it('subtracts mean and divides by std in the tensor channel order (BGR: the first is blue)', () => {
    // Prepare
    const bgr = tinySpec(1, { channels: 'BGR', scale: '0-255', mean: [100, 0, 0], std: [2, 1, 1] });
    // Act
    const out = Array.from(toTensorData([Uint8Array.from([1, 2, 200])], bgr));
    // Assess
    expect(out).toEqual([50, 2, 1]);
  });

  it('rejects an image of the wrong size', () => {
    expect(() => toTensorData([new Uint8Array(5)], spec)).toThrow(RangeError);
  });

  it('writes into a given buffer, leaving what lies past the batch, and refuses one too small', () => {
    // Prepare
    const tiny = tinySpec(1);
    const buffer = new Float32Array(9).fill(42);
    // Act
    const out = toTensorData([Uint8Array.from([255, 0, 255])], tiny, buffer);
    // Assess
    expect(out).toBe(buffer);
    expect(Array.from(buffer)).toEqual([1, 0, 1, 42, 42, 42, 42, 42, 42]);
    expect(() => toTensorData([new Uint8Array(3), new Uint8Array(3)], tiny, new Float32Array(5))).toThrow(RangeError);
  });
});

describe('decodeToRgbSquare + toTensorData (the DATA.md contract)', () => {
  it('gives the hand-computed tensor for a uniform image', async () => {
    const png = await sharp({ create: { width: 300, height: 400, channels: 3, background: { r: 200, g: 100, b: 50 } } })
      .png()
      .toBuffer();
    const tensor = toTensorData([await decodeToRgbSquare(png, spec, limits)], spec);
    expect(tensor).toHaveLength(3 * PLANE);
    const expected = [normalised(200, 0), normalised(100, 1), normalised(50, 2)];
    for (const [row, col] of [
      [0, 0],
      [111, 111],
      [223, 223],
      [5, 200],
    ] as const) {
      pixel(tensor, row, col).forEach((value, c) => expect(value).toBeCloseTo(expected[c]!, 5));
    }
  });

  it('centre-crops after the resize: a 300x400 red|blue image keeps red left, blue right', async () => {
    const png = await (await halves(300, 400, RED, BLUE)).png().toBuffer();
    const tensor = toTensorData([await decodeToRgbSquare(png, spec, limits)], spec);
    // Resized to 256x341, crop left = floor(128 - 112) = 16: the colour edge sits at crop column 112.
    const red = [normalised(255, 0), normalised(0, 1), normalised(0, 2)];
    const blue = [normalised(0, 0), normalised(0, 1), normalised(255, 2)];
    for (const col of [0, 50, 110]) pixel(tensor, 100, col).forEach((v, c) => expect(v).toBeCloseTo(red[c]!, 4));
    for (const col of [114, 180, 223]) pixel(tensor, 100, col).forEach((v, c) => expect(v).toBeCloseTo(blue[c]!, 4));
  });

  it('turns a one-channel grey image into three equal planes', async () => {
    const grey = await sharp({ create: { width: 256, height: 300, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const rgb = await decodeToRgbSquare(grey, spec, limits);
    expect(rgb).toHaveLength(3 * PLANE);
    const tensor = toTensorData([rgb], spec);
    pixel(tensor, 120, 30).forEach((value, c) => expect(value).toBeCloseTo(normalised(90, c as 0 | 1 | 2), 5));
  });

  it('applies EXIF orientation before resizing (orientation 6 turns left|right into top|bottom)', async () => {
    const jpeg = await (
      await halves(400, 300, RED, BLUE)
    )
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const tensor = toTensorData([await decodeToRgbSquare(jpeg, spec, limits)], spec);
    const [topRed, , topBlue] = pixel(tensor, 10, 112);
    const [bottomRed, , bottomBlue] = pixel(tensor, 213, 112);
    expect(topRed).toBeGreaterThan(2); // red on top
    expect(topBlue).toBeLessThan(-1.5);
    expect(bottomBlue).toBeGreaterThan(2.4); // blue below
    expect(bottomRed).toBeLessThan(-1.9);
  });

  it('rejects bytes that are not an image as undecodable', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    await expect(decodeToRgbSquare(fake, spec, limits)).rejects.toMatchObject({
      name: 'ImageDecodeError',
      code: 'undecodable_image',
    });
  });

  it('rejects an image above the pixel limit without decoding it', async () => {
    const big = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: RED } })
      .png()
      .toBuffer();
    const error = await decodeToRgbSquare(big, spec, { maxInputPixels: 1_000_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect(error).toMatchObject({ code: 'image_too_large' });
  });
});
