import sharp from 'sharp';
import { sniffImageType } from '#web/uploads/image-type.js';

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
