import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LabelFileError } from '#core/errors.js';
import { parseLabels } from '#core/models/labels.js';
import { IMAGENET_CLASSES } from '#core/models/registry.js';
import { modelMirrorDir } from '../../../support/paths.js';

describe('parseLabels', () => {
  it('takes the wnid and the first comma-separated name of each line', () => {
    const labels = parseLabels('n01440764 tench, Tinca tinca\nn01443537 goldfish, Carassius auratus\n', 2);
    expect(labels).toEqual([
      { index: 0, wnid: 'n01440764', label: 'tench' },
      { index: 1, wnid: 'n01443537', label: 'goldfish' },
    ]);
  });

  it('rejects a file with the wrong number of classes', () => {
    expect(() => parseLabels('n01440764 tench\n', 2)).toThrow(LabelFileError);
  });

  it('rejects a line without a wnid', () => {
    expect(() => parseLabels('tench\n', 1)).toThrow(/line 1/);
  });

  it('maps the real ImageNet label file by index (duplicate names stay distinct)', async () => {
    const text = await readFile(path.join(modelMirrorDir(), 'imagenet-labels.txt'), 'utf8');
    const labels = parseLabels(text, IMAGENET_CLASSES);
    expect(labels[0]).toEqual({ index: 0, wnid: 'n01440764', label: 'tench' });
    expect(labels[999]?.label).toBe('toilet tissue');
    const cranes = labels.filter((l) => l.label === 'crane');
    expect(cranes).toHaveLength(2);
    expect(new Set(cranes.map((c) => c.wnid)).size).toBe(2);
  });
});
