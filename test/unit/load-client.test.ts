import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyOnce } from '#tools/load/classify-request.js';
import { parseLoadOptions, UsageError } from '#tools/load/load-options.js';

describe('load client', () => {
  let server: Server;
  let url: string;
  let reply: { status: number; body: string };

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(reply.status).end(reply.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['CSE546 answer for this image', true, 'cat_01:tabby', { label: 'tabby', namesOwnImage: true }],
    ['CSE546 answer for another image', true, 'dog_02:tabby', { namesOwnImage: false }],
    [
      'v1 answer for this image',
      false,
      JSON.stringify({ items: [{ filename: 'cat_01.jpg', result: { label: 'tabby' } }] }),
      { label: 'tabby', namesOwnImage: true },
    ],
    [
      'v1 answer for another image',
      false,
      JSON.stringify({ items: [{ filename: 'dog_02.jpg', result: { label: 'tabby' } }] }),
      { namesOwnImage: false },
    ],
  ])('checks that the answer names its own image: %s', async (_name, cse546, body, expected) => {
    reply = { status: 200, body };
    const answer = await classifyOnce(url, 'cat_01.jpg', new Uint8Array([1, 2, 3]), { cse546, waitSeconds: 5 });
    expect(answer).toMatchObject({ status: 200, ...expected });
  });

  it('records an error status with its body', async () => {
    reply = { status: 504, body: '{"message":"no result"}' };
    expect(await classifyOnce(url, 'x.jpg', new Uint8Array([1]), { cse546: true, waitSeconds: 5 })).toMatchObject({
      status: 504,
      namesOwnImage: false,
      error: '{"message":"no result"}',
    });
  });

  it('parses its options and refuses bad ones', () => {
    expect(parseLoadOptions(['--url', 'http://h:3000/', '--images', 'imgs', '--cse546'])).toEqual({
      url: 'http://h:3000',
      imagesDir: 'imgs',
      concurrency: 100,
      expectFile: undefined,
      cse546: true,
      waitSeconds: 300,
    });
    expect(() => parseLoadOptions(['--images', 'x'])).toThrow(UsageError);
    expect(() => parseLoadOptions(['--url', 'u', '--images', 'x', '--concurrency', '0'])).toThrow(/concurrency/);
  });
});
