import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyOnce } from '#tools/load/classify-request.js';

/** A web tier stand-in that answers every upload with `reply` and keeps the last request. */
class FakeWebTier {
  reply = { status: 200, body: '' };
  received = { url: '', body: '' };
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.received = { url: request.url ?? '', body: Buffer.concat(chunks).toString('latin1') };
      response.writeHead(this.reply.status).end(this.reply.body);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('classifyOnce', () => {
  const web = new FakeWebTier();
  let url: string;
  beforeAll(async () => {
    url = await web.start();
  });
  afterAll(() => web.stop());

  it.each([
    ['CSE546 answer for this image', true, 'cat_01:tabby', { label: 'tabby', namesOwnImage: true }],
    ['CSE546 answer for another image', true, 'dog_02:tabby', { namesOwnImage: false }],
    [
      'v1 answer for this image',
      false,
      JSON.stringify({ items: [{ id: 'j1', filename: 'cat_01.jpg', result: { label: 'tabby', index: 281 } }] }),
      { label: 'tabby', index: 281, jobId: 'j1', namesOwnImage: true },
    ],
    [
      'v1 answer for another image',
      false,
      JSON.stringify({ items: [{ filename: 'dog_02.jpg', result: { label: 'tabby' } }] }),
      { namesOwnImage: false },
    ],
  ])('checks that the answer names its own image: %s', async (_name, cse546, body, expected) => {
    // Prepare
    web.reply = { status: 200, body };

    // Act
    const answer = await classifyOnce(url, 'cat_01.jpg', new Uint8Array([1, 2, 3]), { cse546, waitSeconds: 5 });

    // Assess
    expect(answer).toMatchObject({ status: 200, ...expected });
  });

  it.each([
    ['CSE546', true, '/', 'name="myfile"; filename="cat_01.jpg"'],
    ['v1', false, '/v1/classifications?wait=7', 'name="images"; filename="cat_01.jpg"'],
  ])('posts the image where the %s contract expects it', async (_name, cse546, path, field) => {
    web.reply = { status: 200, body: cse546 ? 'cat_01:tabby' : '{"items":[]}' };

    await classifyOnce(url, 'cat_01.jpg', new Uint8Array([1]), { cse546, waitSeconds: 7 });

    expect(web.received.url).toBe(path);
    expect(web.received.body).toContain(field);
  });

  it('asks the v1 API for the model named', async () => {
    web.reply = { status: 200, body: '{"items":[]}' };

    await classifyOnce(url, 'cat_01.jpg', new Uint8Array([1]), { cse546: false, waitSeconds: 7, model: 'pets' });

    expect(web.received.url).toBe('/v1/classifications?wait=7&model=pets');
  });

  it('records an error status with its body', async () => {
    web.reply = { status: 504, body: '{"message":"no result"}' };

    const answer = await classifyOnce(url, 'x.jpg', new Uint8Array([1]), { cse546: true, waitSeconds: 5 });

    expect(answer).toMatchObject({ status: 504, namesOwnImage: false, error: '{"message":"no result"}' });
  });

  it('records a request that got no answer as status 0 with the error described', async () => {
    // Prepare: a port nobody listens on any more
    const gone = new FakeWebTier();
    const goneUrl = await gone.start();
    await gone.stop();

    // Act
    const answer = await classifyOnce(goneUrl, 'x.jpg', new Uint8Array([1]), { cse546: true, waitSeconds: 5 });

    // Assess
    expect(answer).toMatchObject({ status: 0, namesOwnImage: false });
    expect(answer.error).toMatch(/^TypeError: fetch failed/);
  });
});
