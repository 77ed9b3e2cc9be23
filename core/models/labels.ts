import { LabelFileError } from '../errors.js';

/** One ImageNet class as the label file names it. */
export interface ClassLabel {
  readonly index: number;
  /** WordNet id, e.g. `n01440764`. */
  readonly wnid: string;
  /** Short display name: the first of the comma-separated names, e.g. `tench`. */
  readonly label: string;
}

/**
 * Parses a synset file: line i (0-based) is class i, `<wnid> <comma-separated names>`.
 * Names are not unique (`crane`, `maillot` appear twice): key by index or wnid.
 */
export function parseLabels(text: string, expectedClasses: number): ClassLabel[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length !== expectedClasses) {
    throw new LabelFileError(`label file has ${lines.length} classes, expected ${expectedClasses}`);
  }
  return lines.map((line, index) => {
    const match = /^(n\d{8}) (.+)$/.exec(line.trim());
    if (!match?.[1] || !match[2]) {
      throw new LabelFileError(`label line ${index + 1} is not "<wnid> <names>": ${line}`);
    }
    const label = match[2].split(',')[0]?.trim() ?? '';
    return { index, wnid: match[1], label };
  });
}
