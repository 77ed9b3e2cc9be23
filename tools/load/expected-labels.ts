import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/** The `--expect` CSV: the right label of each image, by file name. */
export async function readExpectedLabels(file: string): Promise<Map<string, string>> {
  return parseExpectedLabels(await readFile(file, 'utf8'), file);
}

/** A CSV with a header naming (at least) the columns filename and label. */
export function parseExpectedLabels(text: string, file: string): Map<string, string> {
  const [header = '', ...rows] = text.trim().split(/\r?\n/);
  const columns = header.split(',');
  const nameColumn = columns.indexOf('filename');
  const labelColumn = columns.indexOf('label');
  if (nameColumn < 0 || labelColumn < 0) throw new UsageError(`${file} needs the columns filename and label`);
  return new Map(rows.map((row) => row.split(',')).map((fields) => [fields[nameColumn]!, fields[labelColumn]!]));
}
