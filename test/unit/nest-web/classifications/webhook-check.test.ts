import { WebhookRefusedError } from '#web/errors.js';
import { WebhookCheck } from '#web/classifications/webhook-check.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const policy = { allowHttpLoopback: true, allowPrivate: false };

describe('WebhookCheck at submission', () => {
  it.each([
    ['a private address', 'https://10.0.0.1/hook'],
    ['link-local (instance metadata)', 'https://169.254.169.254/latest'],
    ['plain http to a public address', 'http://93.184.216.34/hook'],
    ['not a URL', 'hooks.example'],
  ])('refuses %s with a 400', async (_story, url) => {
    const check = new WebhookCheck({ destinations: policy, secret: SECRET });
    const refusal = await check.accept(url).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WebhookRefusedError);
    expect((refusal as WebhookRefusedError).httpStatus).toBe(400);
  });

  it('accepts http to loopback when allowed, and a request without a webhook', async () => {
    const check = new WebhookCheck({ destinations: policy, secret: SECRET });
    expect(await check.accept('http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/hook');
    expect(await check.accept(undefined)).toBeUndefined();
  });

  it('refuses every webhook when no signing secret is configured', async () => {
    const check = new WebhookCheck({ destinations: policy });
    await expect(check.accept('http://127.0.0.1:8080/hook')).rejects.toThrow(WebhookRefusedError);
  });
});
