import { LabelFileError } from '../errors.js';

/** One class as the label file names it. */
export interface ClassLabel {
  readonly index: number;
  /** WordNet id, e.g. `n01440764`; only synset label files have one. */
  readonly wnid?: string;
  /** Display name: a plain file's line, or a synset line's first name (e.g. `tench`). */
  readonly label: string;
}

/** How a label file writes its classes: see {@link parseLabels} and {@link parsePlainLabels}. */
export type LabelFormat = 'plain' | 'synset';

/** Parses a label file of either format, checking it names exactly `expectedClasses` classes. */
export function parseLabelFile(text: string, format: LabelFormat, expectedClasses?: number): ClassLabel[] {
  return format === 'synset' ? parseLabels(text, expectedClasses) : parsePlainLabels(text, expectedClasses);
}

/**
 * Parses a synset file: line i (0-based) is class i, `<wnid> <comma-separated names>`.
 * Names are not unique (`crane`, `maillot` appear twice): key by index or wnid.
 */
export function parseLabels(text: string, expectedClasses?: number): ClassLabel[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  checkCount(lines.length, expectedClasses);
  return lines.map((line, index) => {
    const match = /^(n\d{8}) (.+)$/.exec(line.trim());
    if (!match?.[1] || !match[2]) {
      throw new LabelFileError(`label line ${index + 1} is not "<wnid> <names>": ${line}`);
    }
    const label = match[2].split(',')[0]?.trim() ?? '';
    return { index, wnid: match[1], label };
  });
}

/**
 * Parses a plain label file: line i (0-based) is the label of class i, as written (trimmed). A
 * blank line inside the file would shift every later class, so it is refused; a final newline is not.
 */
export function parsePlainLabels(text: string, expectedClasses?: number): ClassLabel[] {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const blank = lines.findIndex((line) => line.trim() === '');
  if (blank >= 0) throw new LabelFileError(`label line ${blank + 1} is blank`);
  checkCount(lines.length, expectedClasses);
  return lines.map((line, index) => ({ index, label: line.trim() }));
}

function checkCount(classes: number, expectedClasses: number | undefined): void {
  if (expectedClasses !== undefined && classes !== expectedClasses) {
    throw new LabelFileError(`label file has ${classes} classes, expected ${expectedClasses}`);
  }
}
