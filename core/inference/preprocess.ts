import sharp from 'sharp';
import { describeError } from '../errors.js';
import type { PreprocessSpec } from '../models/model-contract.js';
import { ImageDecodeError } from './errors.js';

export type { PreprocessSpec } from '../models/model-contract.js';

/** The geometry of the crop: what decoding an image for a model needs. */
export type CropSpec = Pick<PreprocessSpec, 'inputSize' | 'resizeShorterSide'>;

export interface DecodeLimits {
  /** Largest width × height accepted before decoding (a decompression-bomb guard). */
  readonly maxInputPixels: number;
}

/**
 * Decodes an image (its bytes, or the path of a file holding them) into the model's input square as interleaved RGB bytes (HWC):
 * EXIF orientation applied, grey or alpha to 3-channel sRGB, shorter side resized to
 * `resizeShorterSide` with a bilinear filter (longer side rounded), then a centre crop.
 */
export async function decodeToRgbSquare(
  image: Uint8Array | string,
  spec: CropSpec,
  limits: DecodeLimits,
): Promise<Buffer> {
  try {
    const source = sharp(image, { limitInputPixels: limits.maxInputPixels, failOn: 'error' });
    const metadata = await source.metadata();
    const rotated = (metadata.orientation ?? 1) >= 5;
    const width = rotated ? metadata.height : metadata.width;
    const height = rotated ? metadata.width : metadata.height;
    if (!width || !height) throw undecodable('image has no dimensions');
    const { width: resizedWidth, height: resizedHeight } = resizedSize(width, height, spec.resizeShorterSide);
    const side = spec.inputSize;
    const { data, info } = await source
      .rotate()
      .resize(resizedWidth, resizedHeight, { fit: 'fill', kernel: 'linear' })
      .extract({
        left: Math.floor(resizedWidth / 2 - side / 2),
        top: Math.floor(resizedHeight / 2 - side / 2),
        width: side,
        height: side,
      })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== side || info.height !== side) {
      throw undecodable(`decoder produced ${info.width}x${info.height}x${info.channels}, expected ${side}x${side}x3`);
    }
    return data;
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw decoderFailure(error, limits);
  }
}

/** A failure of sharp as the job's permanent failure. */
function decoderFailure(error: unknown, limits: DecodeLimits): ImageDecodeError {
  if (!(error instanceof Error)) return undecodable(describeError(error), error);
  // sharp reports every failure as a plain Error: its text is all that tells the pixel limit apart.
  if (/pixel limit/i.test(error.message)) {
    return new ImageDecodeError(`image exceeds ${limits.maxInputPixels} pixels`, 'image_too_large', { cause: error });
  }
  return undecodable(error.message, error);
}

function undecodable(detail: string, cause?: unknown): ImageDecodeError {
  return new ImageDecodeError(`cannot decode image: ${detail}`, 'undecodable_image', cause ? { cause } : undefined);
}

/** Size after scaling the shorter side to `shorterSide`, the longer side rounded. */
export function resizedSize(width: number, height: number, shorterSide: number): { width: number; height: number } {
  if (width <= height) {
    return { width: shorterSide, height: Math.round((height * shorterSide) / width) };
  }
  return { width: Math.round((width * shorterSide) / height), height: shorterSide };
}

/**
 * Writes interleaved RGB squares into one float32 tensor in the model's layout and channel order:
 * NCHW (a plane per channel per image) or NHWC (channels interleaved), RGB or BGR, each value
 * `(pixel / 255 - mean[c]) / std[c]` (or `(pixel - mean[c]) / std[c]` on the 0–255 scale), mean and
 * std in the tensor's channel order. Writes into `output` when given (its first
 * `images × 3 × size²` values): a classifier reuses one buffer, since a fresh multi-megabyte array
 * per batch cost more in page faults and garbage collection than the arithmetic.
 */
export function toTensorData(
  images: readonly Uint8Array[],
  spec: PreprocessSpec,
  output: Float32Array<ArrayBuffer> = new Float32Array(images.length * 3 * spec.inputSize * spec.inputSize),
): Float32Array<ArrayBuffer> {
  const plane = spec.inputSize * spec.inputSize;
  if (output.length < images.length * 3 * plane) {
    throw new RangeError(`output holds ${output.length} values, ${images.length * 3 * plane} needed`);
  }
  const range = spec.scale === '0-1' ? 255 : 1;
  const [s0, s1, s2] = [0, 1, 2].map((c) => 1 / (range * spec.std[c]!)) as [number, number, number];
  const [o0, o1, o2] = [0, 1, 2].map((c) => spec.mean[c]! / spec.std[c]!) as [number, number, number];
  // Which byte of an RGB pixel each tensor channel reads, where each channel starts, the step per pixel.
  const [r0, r1, r2] = spec.channels === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const [c0, c1, c2] = spec.layout === 'NCHW' ? [0, plane, 2 * plane] : [0, 1, 2];
  const step = spec.layout === 'NCHW' ? 1 : 3;
  for (let n = 0; n < images.length; n++) {
    const rgb = images[n]!;
    if (rgb.length !== plane * 3) throw new RangeError(`image ${n} has ${rgb.length} bytes, expected ${plane * 3}`);
    for (let i = 0, p = 0, q = n * 3 * plane; i < plane; i++, p += 3, q += step) {
      output[q + c0] = rgb[p + r0]! * s0 - o0;
      output[q + c1] = rgb[p + r1]! * s1 - o1;
      output[q + c2] = rgb[p + r2]! * s2 - o2;
    }
  }
  return output;
}
