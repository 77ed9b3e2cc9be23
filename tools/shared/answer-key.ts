import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltInModelName } from '#core/models/registry.js';
import { UsageError } from '../errors.js';

/** What an image's answer should be, as class indices (names repeat among the 1000 classes; indices do not). */
export interface ExpectedAnswer {
  /** The model's own top-1 on the reference machine (reference-predictions.csv). */
  readonly reference: number;
  /** The image's true class (labels.csv). */
  readonly right: number;
}

/** Expected answers by image file name. */
export type AnswerKey = ReadonlyMap<string, ExpectedAnswer>;

/** The files of ../shared/images that hold the answers (DATA.md). */
export const LABELS_FILE = 'labels.csv';
export const REFERENCE_FILE = 'reference-predictions.csv';

/** The column of reference-predictions.csv that holds each model's top-1. */
const REFERENCE_COLUMN: Record<BuiltInModelName, string> = {
  'mobilenetv2-12-int8': 'mobilenetv2_top1',
  'shufflenet-v2-12-qdq': 'shufflenet_top1',
};

/** The answer key of an images folder; undefined when the folder has no labels.csv and reference-predictions.csv. */
export async function readAnswerKey(imagesDir: string, model: BuiltInModelName): Promise<AnswerKey | undefined> {
  const read = (file: string) => readFile(path.join(imagesDir, file), 'utf8').catch(() => undefined);
  const [labels, references] = await Promise.all([read(LABELS_FILE), read(REFERENCE_FILE)]);
  if (labels === undefined || references === undefined) return undefined;
  return parseAnswerKey(labels, references, model);
}

/** Joins labels.csv (filename, class_index) and reference-predictions.csv (filename, the model's top-1). */
export function parseAnswerKey(labels: string, references: string, model: BuiltInModelName): AnswerKey {
  const right = csvColumn(labels, LABELS_FILE, 'class_index');
  const reference = csvColumn(references, REFERENCE_FILE, REFERENCE_COLUMN[model]);
  const key = new Map<string, ExpectedAnswer>();
  for (const [filename, index] of reference) {
    const rightIndex = right.get(filename);
    if (rightIndex !== undefined) key.set(filename, { reference: Number(index), right: Number(rightIndex) });
  }
  return key;
}

/** One column of a CSV with a header row, by the row's filename. */
function csvColumn(text: string, file: string, column: string): Map<string, string> {
  const [header = '', ...lines] = text.trim().split(/\r?\n/);
  const names = header.split(',');
  const [at, nameAt] = [names.indexOf(column), names.indexOf('filename')];
  if (at < 0 || nameAt < 0) throw new UsageError(`${file} needs the columns filename and ${column}`);
  return new Map(lines.map((line) => line.split(',')).map((fields) => [fields[nameAt]!, fields[at]!]));
}
