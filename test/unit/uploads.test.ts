import sharp from 'sharp';
import { sanitizeFilename, stripExtension } from '#core/contracts/display-filename.js';
import { sniffImageType } from '#web/uploads/image-type.js';

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

describe('sniffImageType (by magic number, not the client content type)', () => {
  const image = (format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff') =>
    sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .toFormat(format)
      .toBuffer();

  it.each(['png', 'jpeg', 'webp', 'gif', 'tiff'] as const)('accepts %s', async (format) => {
    expect(await sniffImageType(await image(format))).toMatch(/^image\//);
  });

  it.each([
    ['text', Buffer.from('hello, I am definitely a JPEG')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n')],
    ['nothing', Buffer.alloc(0)],
  ])('rejects %s', async (_name, bytes) => {
    expect(await sniffImageType(bytes)).toBeUndefined();
  });
});
