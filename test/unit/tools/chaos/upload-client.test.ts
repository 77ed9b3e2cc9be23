import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJob, submitImage } from '#tools/chaos/upload-client.js';
import { item, jobId } from './fixtures.js';

/** A loopback server answering each request with `answer`, and the URLs it was asked. */
async function fakeWebTier(
  answer: (url: string) => [number, string],
): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => {
      const [status, body] = answer(request.url!);
      response.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

describe('the web client of the chaos tool', () => {
  let web: Awaited<ReturnType<typeof fakeWebTier>>;

  afterEach(async () => {
    if (web.server.listening) await new Promise((resolve) => web.server.close(resolve));
  });

  it('uploads with ?wait= and reads the one item of the batch', async () => {
    // Prepare
    web = await fakeWebTier(() => [200, JSON.stringify({ items: [item(0, 'a.JPEG')] })]);

    // Act
    const reply = await submitImage(web.url, 'a.JPEG', new Uint8Array([1]), 60);

    // Assess
    expect(web.asked).toEqual(['POST /v1/classifications?wait=60']);
    expect(reply).toMatchObject({ kind: 'answer', status: 200, item: { id: jobId(0), status: 'done' } });
  });

  it('reads a job by id, and keeps the status and text of an error body', async () => {
    // Prepare
    web = await fakeWebTier((url) =>
      url.endsWith(jobId(0)) ? [200, JSON.stringify(item(0, 'a.JPEG'))] : [404, '{"statusCode":404}'],
    );

    // Act
    const found = await readJob(web.url, jobId(0));
    const missing = await readJob(web.url, jobId(1));

    // Assess
    expect(found).toMatchObject({ kind: 'answer', status: 200, item: { filename: 'a.JPEG' } });
    expect(missing).toEqual({ kind: 'answer', status: 404, text: '{"statusCode":404}' });
  });

  it('tells a refused connection (nothing listens: the stack is down)', async () => {
    // Prepare: a port that was just free.
    web = await fakeWebTier(() => [200, '']);
    await new Promise((resolve) => web.server.close(resolve));

    // Act
    const reply = await readJob(web.url, jobId(0));

    // Assess
    expect(reply).toMatchObject({ kind: 'no-answer', refused: true });
  });
});
