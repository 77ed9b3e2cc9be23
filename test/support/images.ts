import { readFile } from 'node:fs/promises';
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
