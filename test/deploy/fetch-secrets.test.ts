import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { makeCertificate, type CertificateFiles } from './certificates.js';
import { requireTool, runAsync } from './tools.js';

const FETCH_SCRIPT = path.join(REPO_ROOT, 'openstack-heat', 'scripts', 'fetch-secrets.sh');
const CREDENTIAL = { id: 'a3f4c2d1e0b94f6a8c7d5e4f3a2b1c0d', secret: 'Xk9_pQ-2vLr8TzW4yN6mB1cJ7hF3sD5g' };
const TOKEN = 'gAAAAABtoken-for-the-test';

interface Barbican {
  /** Secret id -> PEM payload. */
  readonly payloads: Map<string, string>;
  /** Secret ids the application credential's access rules allow. */
  readonly readable: Set<string>;
  /** Every request, as "METHOD /path". */
  readonly requests: string[];
  revoked: boolean;
}

/** Keystone (application credential -> token, token revocation) and Barbican (payloads) on loopback. */
function fakeOpenStack(state: Barbican): http.Server {
  return http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      state.requests.push(`${request.method} ${request.url}`);
      const token = request.headers['x-auth-token'];
      const payload = /^\/v1\/secrets\/([0-9a-f-]{36})\/payload$/.exec(request.url ?? '');
      if (request.method === 'POST' && request.url === '/v3/auth/tokens') {
        const credential = JSON.parse(body).auth.identity.application_credential;
        const valid = credential.id === CREDENTIAL.id && credential.secret === CREDENTIAL.secret;
        response.writeHead(valid ? 201 : 401, valid ? { 'X-Subject-Token': TOKEN } : {}).end('{}');
      } else if (request.method === 'DELETE' && request.url === '/v3/auth/tokens' && token === TOKEN) {
        state.revoked = request.headers['x-subject-token'] === TOKEN;
        response.writeHead(204).end();
      } else if (payload && token === TOKEN && !state.revoked && state.readable.has(payload[1]!)) {
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end(state.payloads.get(payload[1]!));
      } else {
        response.writeHead(token === TOKEN ? 403 : 401).end();
      }
    });
  });
}

describe('openstack-heat/scripts/fetch-secrets.sh (glimpse-fetch-secrets)', () => {
  let workDir: string;
  let server: http.Server;
  let state: Barbican;
  let baseUrl: string;
  let tls: CertificateFiles;
  let rolesAnywhere: CertificateFiles;
  let stranger: CertificateFiles;
  const ids = { tlsCertificate: randomUUID(), tlsKey: randomUUID(), rolesAnywhereKey: randomUUID() };

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-fetch-'));
    tls = makeCertificate(workDir, 'tls', 'glimpse.example.com');
    rolesAnywhere = makeCertificate(workDir, 'roles-anywhere', 'glimpse-web');
    stranger = makeCertificate(workDir, 'stranger');
    state = { payloads: new Map(), readable: new Set(), requests: [], revoked: false };
    server = fakeOpenStack(state);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(workDir, { recursive: true, force: true });
  });

  /** A fresh /etc/glimpse with the certificate Heat wrote and the credential the operator copied. */
  async function enrolledServer(credential: string): Promise<string> {
    const configDir = await mkdtemp(path.join(workDir, 'etc-'));
    await mkdir(path.join(configDir, 'rolesanywhere'));
    await mkdir(path.join(configDir, 'openstack'));
    await writeFile(
      path.join(configDir, 'rolesanywhere', 'certificate.pem'),
      await readFile(rolesAnywhere.certificate),
    );
    await writeFile(path.join(configDir, 'openstack', 'application-credential.env'), credential);
    return configDir;
  }

  async function serve(keys: { tlsKey: string; readable?: string[] }): Promise<void> {
    state.payloads.set(ids.tlsCertificate, await readFile(tls.certificate, 'utf8'));
    state.payloads.set(ids.tlsKey, await readFile(keys.tlsKey, 'utf8'));
    state.payloads.set(ids.rolesAnywhereKey, await readFile(rolesAnywhere.key, 'utf8'));
    state.readable.clear();
    for (const id of keys.readable ?? Object.values(ids)) state.readable.add(id);
    state.requests.length = 0;
    state.revoked = false;
  }

  const fetchSecrets = (configDir: string, more: Record<string, string> = {}) =>
    runAsync(requireTool('bash'), [FETCH_SCRIPT], {
      env: {
        ...more,
        CONFIG_DIR: configDir,
        KEY_GROUP: String(os.userInfo().gid),
        OPENSTACK_AUTH_URL: `${baseUrl}/v3`,
        TLS_CERTIFICATE_SECRET: `${baseUrl}/v1/secrets/${ids.tlsCertificate}`,
        TLS_KEY_SECRET: `${baseUrl}/v1/secrets/${ids.tlsKey}`,
        ROLES_ANYWHERE_KEY_SECRET: `${baseUrl}/v1/secrets/${ids.rolesAnywhereKey}`,
      },
    });

  const credentialFile = (id = CREDENTIAL.id, secret = CREDENTIAL.secret) =>
    `APPLICATION_CREDENTIAL_ID=${id}\nAPPLICATION_CREDENTIAL_SECRET=${secret}\n`;

  const mode = async (file: string) => (await stat(file)).mode & 0o777;

  it('installs the TLS pair and the Roles Anywhere key, revokes its token and removes the credential', async () => {
    // Prepare
    await serve({ tlsKey: tls.key });
    const configDir = await enrolledServer(credentialFile());

    // Act
    const result = await fetchSecrets(configDir);

    // Assess
    expect(result.output).toContain('installed; application credential removed');
    expect(result.status).toBe(0);
    expect(await readFile(path.join(configDir, 'tls', 'certificate.pem'), 'utf8')).toBe(
      await readFile(tls.certificate, 'utf8'),
    );
    expect(await readFile(path.join(configDir, 'tls', 'private-key.pem'), 'utf8')).toBe(
      await readFile(tls.key, 'utf8'),
    );
    const rolesAnywhereKey = path.join(configDir, 'rolesanywhere', 'private-key.pem');
    expect(await readFile(rolesAnywhereKey, 'utf8')).toBe(await readFile(rolesAnywhere.key, 'utf8'));
    expect(await mode(path.join(configDir, 'tls', 'certificate.pem'))).toBe(0o644);
    expect(await mode(path.join(configDir, 'tls', 'private-key.pem'))).toBe(0o600);
    expect(await mode(rolesAnywhereKey)).toBe(0o640);
    expect(existsSync(path.join(configDir, 'openstack', 'application-credential.env'))).toBe(false);
    expect(state.revoked).toBe(true);
    expect(state.requests).toEqual([
      'POST /v3/auth/tokens',
      `GET /v1/secrets/${ids.tlsCertificate}/payload`,
      `GET /v1/secrets/${ids.tlsKey}/payload`,
      `GET /v1/secrets/${ids.rolesAnywhereKey}/payload`,
      'DELETE /v3/auth/tokens',
    ]);
  });

  it.each([
    ['Keystone refuses the credential', { secret: 'wrong-secret' }, {}, /Keystone refused/],
    ['the access rules do not name a secret', {}, { unreadable: 'rolesAnywhereKey' }, /Barbican refused/],
    ['the TLS key is not the certificate’s', {}, { strangerKey: true }, /TLS: the private key does not belong/],
    ['the credential file is malformed', { secret: 'x"}],"evil' }, {}, /malformed/],
  ] as const)('installs nothing when %s', async (_, credential, served, message) => {
    // Prepare
    const tlsKey = 'strangerKey' in served ? stranger.key : tls.key;
    const readable = Object.entries(ids)
      .filter(([name]) => !('unreadable' in served) || name !== served.unreadable)
      .map(([, id]) => id);
    await serve({ tlsKey, readable });
    const configDir = await enrolledServer(
      credentialFile(CREDENTIAL.id, 'secret' in credential ? credential.secret : undefined),
    );

    // Act
    const result = await fetchSecrets(configDir);

    // Assess
    expect(result.stderr).toMatch(message);
    expect(result.status).not.toBe(0);
    expect(existsSync(path.join(configDir, 'tls'))).toBe(false);
    expect(existsSync(path.join(configDir, 'rolesanywhere', 'private-key.pem'))).toBe(false);
    // The operator can fix the cause and run it again.
    expect(existsSync(path.join(configDir, 'openstack', 'application-credential.env'))).toBe(true);
  });

  describe('with a webhook signing secret', () => {
    const webhookId = randomUUID();
    const webhookSecret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

    async function serveWebhookSecret(payload: string): Promise<string> {
      await serve({ tlsKey: tls.key });
      state.payloads.set(webhookId, payload);
      state.readable.add(webhookId);
      return enrolledServer(credentialFile());
    }

    it("installs it as the web tier's GLIMPSE_WEBHOOK_SECRET, readable by root only", async () => {
      // Prepare
      const configDir = await serveWebhookSecret(`${webhookSecret}\n`);

      // Act
      const result = await fetchSecrets(configDir, {
        WEBHOOK_SIGNING_KEY_SECRET: `${baseUrl}/v1/secrets/${webhookId}`,
      });

      // Assess
      expect(result.status).toBe(0);
      const webhookEnv = path.join(configDir, 'webhook.env');
      expect(await readFile(webhookEnv, 'utf8')).toBe(`GLIMPSE_WEBHOOK_SECRET=${webhookSecret}\n`);
      expect(await mode(webhookEnv)).toBe(0o600);
      expect(state.requests).toContain(`GET /v1/secrets/${webhookId}/payload`);
      expect(state.revoked).toBe(true);
    });

    it('installs nothing when the payload is not a whsec_ secret', async () => {
      // Prepare
      const configDir = await serveWebhookSecret('-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----\n');

      // Act
      const result = await fetchSecrets(configDir, {
        WEBHOOK_SIGNING_KEY_SECRET: `${baseUrl}/v1/secrets/${webhookId}`,
      });

      // Assess
      expect(result.stderr).toMatch(/webhook signing secret: not whsec_/);
      expect(result.status).not.toBe(0);
      expect(existsSync(path.join(configDir, 'webhook.env'))).toBe(false);
      expect(existsSync(path.join(configDir, 'tls'))).toBe(false);
    });
  });

  it('refuses to run before the server is enrolled', async () => {
    await serve({ tlsKey: tls.key });
    const configDir = await enrolledServer('');
    await rm(path.join(configDir, 'openstack', 'application-credential.env'));
    const result = await fetchSecrets(configDir);
    expect(result.stderr).toMatch(/enrol the server first/);
    expect(result.status).not.toBe(0);
    expect(state.requests).toEqual([]);
  });
});
