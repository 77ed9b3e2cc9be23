import { UsageError } from '#tools/errors.js';
import { parseExpectedLabels } from '#tools/load/expected-labels.js';

describe('parseExpectedLabels', () => {
  it('maps each file name to its label, whatever the order of the columns', () => {
    const text = 'label,filename,source\r\ntabby,cat_01.jpg,a\ngoldfish,fish_02.png,b\n';

    expect(parseExpectedLabels(text, 'labels.csv')).toEqual(
      new Map([
        ['cat_01.jpg', 'tabby'],
        ['fish_02.png', 'goldfish'],
      ]),
    );
  });

  it('refuses a file without the filename and label columns, naming it', () => {
    expect(() => parseExpectedLabels('name,class\na,b\n', 'labels.csv')).toThrow(
      new UsageError('labels.csv needs the columns filename and label'),
    );
  });
});
