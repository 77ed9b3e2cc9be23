import sharp from 'sharp';
import { describeError } from '../errors.js';
import type { ModelSpec } from '../models/registry.js';
import { ImageDecodeError } from './errors.js';

/** Geometry and normalisation of the preprocessing contract (../shared/DATA.md). */
export type PreprocessSpec = Pick<ModelSpec, 'inputSize' | 'resizeShorterSide' | 'mean' | 'std'>;

export interface DecodeLimits {
  /** Largest width × height accepted before decoding (a decompression-bomb guard). */
  readonly maxInputPixels: number;
}

/**
 * Decodes an image into the model's input square as interleaved RGB bytes (HWC):
 * EXIF orientation applied, grey or alpha to 3-channel sRGB, shorter side resized to
 * `resizeShorterSide` with a bilinear filter (longer side rounded), then a centre crop.
 */
export async function decodeToRgbSquare(
  image: Uint8Array,
  spec: PreprocessSpec,
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
 * Writes interleaved RGB squares into one NCHW float32 tensor, planes R, G, B per image,
 * each value `(pixel / 255 - mean[c]) / std[c]`.
 */
export function toNchwTensorData(images: readonly Uint8Array[], spec: PreprocessSpec): Float32Array {
  const plane = spec.inputSize * spec.inputSize;
  const output = new Float32Array(images.length * 3 * plane);
  const scale = [0, 1, 2].map((c) => 1 / (255 * spec.std[c]!));
  const offset = [0, 1, 2].map((c) => spec.mean[c]! / spec.std[c]!);
  images.forEach((rgb, n) => {
    if (rgb.length !== plane * 3) {
      throw new RangeError(`image ${n} has ${rgb.length} bytes, expected ${plane * 3}`);
    }
    const base = n * 3 * plane;
    for (let c = 0; c < 3; c++) {
      const out = base + c * plane;
      const s = scale[c]!;
      const o = offset[c]!;
      for (let i = 0; i < plane; i++) output[out + i] = rgb[i * 3 + c]! * s - o;
    }
  });
  return output;
}
