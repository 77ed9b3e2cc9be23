import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookDeliveryError } from '#core/webhooks/errors.js';
import { postSignedWebhook } from '#core/webhooks/webhook-post.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

describe('postSignedWebhook', () => {
  let server: Server;
  let port: number;
  let received: Array<{ headers: IncomingHttpHeaders; body: string }>;
  let status: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(status).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    received = [];
    status = 204;
  });
  afterAll(async () => new Promise((resolve) => server.close(resolve)));

  it('connects to the checked address, not to what the host name resolves to now', async () => {
    // Prepare: a name that resolves nowhere; the check pinned 127.0.0.1
    const destination = {
      url: new URL(`http://receiver.invalid:${port}/hook`),
      addresses: [{ address: '127.0.0.1', family: 4 as const }],
    };
    // Act
    const answered = await postSignedWebhook({ destination, id: 'msg_1', body: '{"id":"1"}', secret: SECRET });
    // Assess
    expect(answered).toBe(204);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.host).toBe(`receiver.invalid:${port}`);
  });

  it('signs per Standard Webhooks: the receiver verifies id, timestamp and body', async () => {
    // Prepare
    const destination = { url: new URL(`http://127.0.0.1:${port}/`), addresses: [] };
    const now = new Date();
    // Act
    await postSignedWebhook({ destination, id: 'msg_2', body: '{"status":"done"}', secret: SECRET, now });
    // Assess
    const [{ headers, body }] = received as [{ headers: IncomingHttpHeaders; body: string }];
    expect(headers['webhook-id']).toBe('msg_2');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(new Webhook(SECRET).verify(body, headers as Record<string, string>)).toEqual({ status: 'done' });
    const forged = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
    expect(() => new Webhook(forged).verify(body, headers as Record<string, string>)).toThrow();
  });

  it("answers the receiver's status, whatever it is", async () => {
    // Prepare
    status = 500;
    const destination = { url: new URL(`http://127.0.0.1:${port}/`), addresses: [] };
    // Act
    const answered = await postSignedWebhook({ destination, id: 'msg_3', body: '{}', secret: SECRET });
    // Assess
    expect(answered).toBe(500);
  });

  it('throws WebhookDeliveryError when nothing answers', async () => {
    // Prepare: a port nothing listens on
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const destination = { url: new URL(`http://127.0.0.1:${deadPort}/`), addresses: [] };
    // Act
    const post = postSignedWebhook({ destination, id: 'msg_4', body: '{}', secret: SECRET, timeoutMs: 2_000 });
    // Assess
    await expect(post).rejects.toBeInstanceOf(WebhookDeliveryError);
  });
});
