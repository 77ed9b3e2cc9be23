import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import path from 'node:path';
import { SHARED_IMAGES } from './paths.js';

/** One row of ../shared/images/labels.csv joined with reference-predictions.csv. */
export interface LabelledPhoto {
  readonly filename: string;
  readonly classIndex: number;
  readonly label: string;
  readonly mobilenetTop1: number;
  readonly mobilenetTop5: readonly number[];
  readonly shufflenetTop1: number;
}

export async function loadLabelledPhotos(): Promise<LabelledPhoto[]> {
  const rows = async (file: string) =>
    (await readFile(path.join(SHARED_IMAGES, file), 'utf8'))
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(','));
  const references = new Map((await rows('reference-predictions.csv')).map((f) => [f[0]!, f]));
  return (await rows('labels.csv')).map(([filename, classIndex, , label]) => {
    const reference = references.get(filename!);
    if (!reference) throw new Error(`no reference prediction for ${filename}`);
    return {
      filename: filename!,
      classIndex: Number(classIndex),
      label: label!,
      mobilenetTop1: Number(reference[2]),
      mobilenetTop5: reference[3]!.split(' ').map(Number),
      shufflenetTop1: Number(reference[4]),
    };
  });
}

export function readPhoto(filename: string): Promise<Buffer> {
  return readFile(path.join(SHARED_IMAGES, filename));
}

/**
 * A PNG whose header declares `width` × `height`, with a token of pixel data (what a decompression
 * bomb looks like to a reader; libspng reads no header without an IDAT).
 */
export function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const frame = Buffer.alloc(8 + data.length + 4);
    frame.writeUInt32BE(data.length, 0);
    typed.copy(frame, 4);
    frame.writeUInt32BE(zlib.crc32(typed), 8 + data.length);
    return frame;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = chunk('IDAT', zlib.deflateSync(Buffer.alloc(64)));
  return Buffer.concat([signature, chunk('IHDR', ihdr), idat, chunk('IEND', Buffer.alloc(0))]);
}
