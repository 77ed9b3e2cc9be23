import { sanitizeFilename, stripExtension } from '#core/contracts/display-filename.js';

describe('sanitizeFilename', () => {
  it.each([
    ['a plain name', 'cat.jpg', 'cat.jpg'],
    ['a Unix path', '../../etc/passwd', 'passwd'],
    ['a Windows path', 'C:\\Users\\me\\dog.png', 'dog.png'],
    ['control characters', 'a\u0000b\r\nc.jpg', 'abc.jpg'],
    ['a bidi override', 'evil\u202Egpj.exe', 'evilgpj.exe'],
    ['nothing', undefined, 'upload'],
    ['dot-dot', '..', 'upload'],
    ['an over-long name', `${'x'.repeat(300)}.jpg`, 'x'.repeat(255)],
    ['unicode', 'Ünïcødé 猫.jpg', 'Ünïcødé 猫.jpg'],
  ])('handles %s', (_name, input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });
});

describe('stripExtension', () => {
  it.each([
    ['test_00.jpg', 'test_00'],
    ['photo.v2.JPEG', 'photo.v2'],
    ['noext', 'noext'],
    ['.hidden', '.hidden'],
  ])('%s → %s', (input, expected) => expect(stripExtension(input)).toBe(expected));
});
