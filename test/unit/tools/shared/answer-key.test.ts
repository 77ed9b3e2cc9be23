import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '#tools/errors.js';
import { parseAnswerKey, readAnswerKey } from '#tools/shared/answer-key.js';
import { useTempFolder } from './temp-folder.js';

const LABELS = 'filename,class_index,synset,label\na.JPEG,0,n01440764,tench\nb.JPEG,5,n01496331,electric ray\n';
const REFERENCES =
  'filename,class_index,mobilenetv2_top1,mobilenetv2_top5,shufflenet_top1,shufflenet_top5\n' +
  'a.JPEG,0,0,0 1 2 3 4,0,0 1 2 3 4\nb.JPEG,5,6,6 5 1 2 3,5,5 6 1 2 3\n';

describe('parseAnswerKey', () => {
  it("joins each image's true class with the chosen model's reference top-1", () => {
    expect(parseAnswerKey(LABELS, REFERENCES, 'mobilenetv2-12-int8')).toEqual(
      new Map([
        ['a.JPEG', { reference: 0, right: 0 }],
        ['b.JPEG', { reference: 6, right: 5 }],
      ]),
    );
    expect(parseAnswerKey(LABELS, REFERENCES, 'shufflenet-v2-12-qdq').get('b.JPEG')).toEqual({
      reference: 5,
      right: 5,
    });
  });

  it('refuses a file without the columns it needs', () => {
    expect(() => parseAnswerKey('filename,label\na.JPEG,tench\n', REFERENCES, 'mobilenetv2-12-int8')).toThrow(
      UsageError,
    );
  });
});

describe('readAnswerKey', () => {
  const folder = useTempFolder('glimpse-answer-key-');

  it('reads the two CSV files of an images folder', async () => {
    // Prepare
    await writeFile(path.join(folder(), 'labels.csv'), LABELS);
    await writeFile(path.join(folder(), 'reference-predictions.csv'), REFERENCES);

    // Act
    const key = await readAnswerKey(folder(), 'mobilenetv2-12-int8');

    // Assess
    expect(key?.size).toBe(2);
  });

  it('is undefined for a folder of images without them', async () => {
    await writeFile(path.join(folder(), 'labels.csv'), LABELS);

    expect(await readAnswerKey(folder(), 'mobilenetv2-12-int8')).toBeUndefined();
  });
});
