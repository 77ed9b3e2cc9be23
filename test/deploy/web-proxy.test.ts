import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { REPO_ROOT } from '../support/paths.js';
import { makeCertificate, type CertificateFiles } from './certificates.js';
import { requireTool, run } from './tools.js';

const INIT_SCRIPT = path.join(REPO_ROOT, 'openstack-heat', 'scripts', 'install-web-tier.sh');
/** A small request cap, so a body over it is cheap to send. */
const MAX_REQUEST_BYTES = 4096;

/** nginx's site as install-web-tier.sh writes it: its here-document, expanded by bash with these values. */
async function renderSite(appPort: number): Promise<string> {
  const script = await readFile(INIT_SCRIPT, 'utf8');
  const heredoc = /cat > \/etc\/nginx\/sites-available\/glimpse <<NGINX\n[\s\S]*?\nNGINX\n/.exec(script);
  if (!heredoc) throw new Error('no nginx site in the install script');
  const rendered = run(requireTool('bash'), ['-c', `set -eu\n${heredoc[0].replace(/^cat > \S+/, 'cat')}`], {
    env: { max_request_bytes: String(MAX_REQUEST_BYTES), app_port: String(appPort) },
  });
  if (rendered.status !== 0) throw new Error(rendered.output);
  return rendered.stdout;
}

/** The same site on loopback test ports and a test certificate, inside a minimal nginx.conf. */
function testConfig(site: string, dir: string, ports: { http: number; https: number }, certificate: CertificateFiles) {
  const local = site
    .replace(/^\s*listen \[::\]:.*\n/gm, '')
    .replace('listen 80 default_server;', `listen 127.0.0.1:${ports.http};`)
    .replace('listen 443 ssl default_server;', `listen 127.0.0.1:${ports.https} ssl;`)
    .replace('/etc/glimpse/tls/certificate.pem', certificate.certificate)
    .replace('/etc/glimpse/tls/private-key.pem', certificate.key);
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  return [
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')};`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}`,
    local,
    '}',
  ].join('\n');
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly body: string;
}

function send(url: string, options: https.RequestOptions = {}, body?: Buffer): Promise<Reply> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { agent: false, ...options }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          headers: response.headers,
          rawHeaders: response.rawHeaders,
          body: text,
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('nginx in front of the web tier (the site install-web-tier.sh writes, run on loopback)', () => {
  let dir: string;
  let certificate: CertificateFiles;
  /** The test certificate's PEM: the client trusts it and nothing else. */
  let trusted: Buffer;
  let app: http.Server;
  let nginx: ChildProcess;
  let ports: { http: number; https: number };
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-nginx-'));
    for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(dir, name));
    certificate = makeCertificate(dir, 'web', 'glimpse.example.com');
    trusted = await readFile(certificate.certificate);
    // The app: answers with what it saw, and sends its own HSTS header as helmet does.
    app = http.createServer((request, response) => {
      seen.push({ url: request.url!, headers: request.headers });
      request.resume();
      request.on('end', () =>
        response.writeHead(200, { 'Strict-Transport-Security': 'max-age=15552000' }).end(request.url),
      );
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    ports = { http: await freePort(), https: await freePort() };
    const site = await renderSite((app.address() as AddressInfo).port);
    await writeFile(path.join(dir, 'nginx.conf'), testConfig(site, dir, ports, certificate));
    const config = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
    const check = run(requireTool('nginx'), ['-t', ...config]);
    if (check.status !== 0) throw new Error(`nginx -t refused the site:\n${check.output}`);
    nginx = spawn(requireTool('nginx'), [...config, '-g', 'daemon off;'], { stdio: 'ignore' });
    await waitForPort(ports.http);
  }, 30_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => app?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  async function waitForPort(port: number): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const open = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (open) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`nginx did not listen on ${port}: ${await readFile(path.join(dir, 'error.log'), 'utf8')}`);
  }

  const secure = (pathname: string, options: https.RequestOptions = {}, body?: Buffer) =>
    send(
      `https://127.0.0.1:${ports.https}${pathname}`,
      { ca: trusted, servername: 'glimpse.example.com', ...options },
      body,
    );

  it('redirects plain HTTP to HTTPS, path and query kept, without reaching the app', async () => {
    const before = seen.length;
    const reply = await send(`http://127.0.0.1:${ports.http}/v1/classifications?wait=0`);
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('https://127.0.0.1/v1/classifications?wait=0');
    expect(seen.length).toBe(before);
  });

  it('proxies HTTPS to the app on 127.0.0.1, telling it the client and the scheme', async () => {
    const reply = await secure('/v1/classifications/abc');
    expect([reply.status, reply.body]).toEqual([200, '/v1/classifications/abc']);
    const last = seen.at(-1)!;
    expect(last.headers['x-forwarded-proto']).toBe('https');
    expect(last.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(reply.headers.server).toBe('nginx');
  });

  it('sends exactly one HSTS header, its own, for at least a year', async () => {
    const reply = await secure('/health');
    const hsts = reply.rawHeaders.filter(
      (_, i) => i % 2 === 0 && reply.rawHeaders[i]!.toLowerCase() === 'strict-transport-security',
    );
    expect(hsts).toHaveLength(1);
    const maxAge = Number(/max-age=(\d+)/.exec(String(reply.headers['strict-transport-security']))?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(365 * 24 * 3600);
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)('speaks %s', async (version) => {
    const protocol = await new Promise<string | null>((resolve, reject) => {
      const socket = tls.connect(
        {
          host: '127.0.0.1',
          port: ports.https,
          servername: 'glimpse.example.com',
          minVersion: version,
          maxVersion: version,
          rejectUnauthorized: false,
        },
        () => {
          resolve(socket.getProtocol());
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(protocol).toBe(version);
  });

  it('offers no protocol older than TLS 1.2', async () => {
    const site = await renderSite(3000);
    expect(/^\s*ssl_protocols (.*);$/m.exec(site)?.[1]).toBe('TLSv1.2 TLSv1.3');
  });

  it("refuses a body over the app's request cap before the app sees it", async () => {
    const before = seen.length;
    const reply = await secure('/v1/classifications', { method: 'POST' }, Buffer.alloc(MAX_REQUEST_BYTES * 2));
    expect(reply.status).toBe(413);
    expect(seen.length).toBe(before);
  });
});
