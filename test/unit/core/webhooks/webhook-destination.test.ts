import { WebhookDestinationError, UnresolvableWebhookHostError } from '#core/webhooks/errors.js';
import {
  checkWebhookDestination,
  resolveWebhookDestination,
  type HostResolver,
  type WebhookDestinationPolicy,
} from '#core/webhooks/webhook-destination.js';

const strict: WebhookDestinationPolicy = { allowHttpLoopback: false, allowPrivate: false };
const local: WebhookDestinationPolicy = { allowHttpLoopback: true, allowPrivate: false };
const internal: WebhookDestinationPolicy = { allowHttpLoopback: false, allowPrivate: true };

/** A resolver answering from a table, as DNS would; unknown names do not resolve. */
const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14'],
  'dual.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'rebind.example.com': ['93.184.215.14', '10.0.0.7'],
  'internal.example.com': ['10.1.2.3'],
  localhost: ['127.0.0.1', '::1'],
  'mapped.example.com': ['::ffff:192.168.1.10'],
};
const resolver: HostResolver = async (host) => {
  const addresses = dns[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const cases: ReadonlyArray<[name: string, url: string, policy: WebhookDestinationPolicy, allowed: boolean]> = [
  ['public https host', 'https://hooks.example.com/glimpse', strict, true],
  ['public https host with IPv4 and IPv6 addresses', 'https://dual.example.com/', strict, true],
  ['public IPv4 literal', 'https://93.184.215.14/', strict, true],
  ['http to a public host, even with loopback allowed', 'http://hooks.example.com/', local, false],
  ['http to localhost when loopback is allowed', 'http://localhost:8080/hook', local, true],
  ['http to 127.0.0.1 when loopback is allowed', 'http://127.0.0.1:8080/hook', local, true],
  ['http to [::1] when loopback is allowed', 'http://[::1]:8080/hook', local, true],
  ['http to localhost without the loopback setting', 'http://localhost:8080/hook', strict, false],
  ['https to localhost without the loopback setting', 'https://localhost/', strict, false],
  ['a host name resolving to a private address', 'https://internal.example.com/', strict, false],
  ['a host name with one public and one private address (rebinding)', 'https://rebind.example.com/', strict, false],
  ['10/8 literal', 'https://10.0.0.1/', strict, false],
  ['172.16/12 literal', 'https://172.20.1.1/', strict, false],
  ['192.168/16 literal', 'https://192.168.0.10/', strict, false],
  ['CGNAT 100.64/10', 'https://100.64.0.1/', strict, false],
  ['link-local 169.254/16', 'https://169.254.10.10/', strict, false],
  ['the metadata service', 'https://169.254.169.254/latest/meta-data/', strict, false],
  ['the metadata service even when private ranges are allowed', 'http://169.254.169.254/', internal, false],
  ['the EC2 IPv6 metadata service even when private ranges are allowed', 'https://[fd00:ec2::254]/', internal, false],
  ['IPv6 link-local fe80::/10', 'https://[fe80::1]/', strict, false],
  ['IPv6 unique-local fc00::/7', 'https://[fd12:3456::1]/', strict, false],
  ['IPv4-mapped private address', 'https://[::ffff:10.0.0.1]/', strict, false],
  ['a host name resolving to an IPv4-mapped private address', 'https://mapped.example.com/', strict, false],
  ['multicast', 'https://224.0.0.1/', strict, false],
  ['unspecified 0.0.0.0', 'https://0.0.0.0/', strict, false],
  ['unspecified ::', 'https://[::]/', strict, false],
  ['multicast even when private ranges are allowed', 'https://239.1.1.1/', internal, false],
  ['a private address when private ranges are allowed', 'https://internal.example.com/', internal, true],
  ['CGNAT when private ranges are allowed', 'https://100.64.0.1/', internal, true],
  ['http to a private address when private ranges are allowed', 'http://10.0.0.1/', internal, false],
  ['a scheme other than http(s)', 'ftp://hooks.example.com/', strict, false],
  ['not a URL', 'hooks.example.com/glimpse', strict, false],
  ['a URL over 2048 characters', `https://hooks.example.com/${'a'.repeat(2048)}`, strict, false],
];

describe('checkWebhookDestination', () => {
  it.each(cases)('%s: %s', async (_name, url, policy, allowed) => {
    // Prepare
    const check = checkWebhookDestination(url, policy, resolver);
    // Act + Assess
    if (allowed) await expect(check).resolves.toEqual(new URL(url));
    else await expect(check).rejects.toBeInstanceOf(WebhookDestinationError);
  });

  it('says in its message which address was refused and how to allow it', async () => {
    // Act
    const check = checkWebhookDestination('https://internal.example.com/x', strict, resolver);
    // Assess
    await expect(check).rejects.toThrow(
      /internal\.example\.com resolves to 10\.1\.2\.3.*GLIMPSE_WEBHOOK_ALLOW_PRIVATE/,
    );
  });

  it('refuses a host that does not resolve with the retryable UnresolvableWebhookHostError', async () => {
    // Act
    const check = checkWebhookDestination('https://nowhere.example.com/', strict, resolver);
    // Assess
    await expect(check).rejects.toBeInstanceOf(UnresolvableWebhookHostError);
  });

  it('returns every checked address, for the delivery to connect to', async () => {
    // Act
    const destination = await resolveWebhookDestination('https://dual.example.com/', strict, resolver);
    // Assess
    expect(destination.addresses.map(({ address, family }) => `${family}:${address}`)).toEqual([
      '4:93.184.215.14',
      '6:2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    ]);
  });
});
