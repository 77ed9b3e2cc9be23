import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KNOWN_ENV_VARS } from '#core/config/env-vars.js';
import { loadResourceNames } from '#core/config/resource-names.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { REPO_ROOT } from '../support/paths.js';
import { makeCertificate } from './certificates.js';
import { loadHeatTemplate, parametersReaching, type HeatTemplate } from './heat-template.js';
import { analyzeSecurity, EXPOSURE_THRESHOLD, REQUIRED_HARDENING, unitSettings, withoutSandbox } from './systemd.js';
import { glimpseNamesIn, parseEnvLines, requireHeat, requireTool, run, SYSTEM_PYTHON } from './tools.js';

const HEAT_DIR = path.join(REPO_ROOT, 'openstack-heat');
const TEMPLATE = path.join(HEAT_DIR, 'glimpse-web.yaml');
const EXAMPLE_ENVIRONMENT = path.join(HEAT_DIR, 'environment.example.yaml');
const INIT_SCRIPT = path.join(HEAT_DIR, 'scripts', 'install-web-tier.sh');
const FETCH_SCRIPT = path.join(HEAT_DIR, 'scripts', 'fetch-secrets.sh');
const UNIT_DIR = path.join(HEAT_DIR, 'files');
const VALIDATOR = path.join(REPO_ROOT, 'test', 'deploy', 'heat_validate.py');

/** The example environment's parameters, as KEY=value lines parsed (names upper-cased). */
async function exampleParameters(): Promise<Record<string, string>> {
  return parseEnvLines(
    (await readFile(EXAMPLE_ENVIRONMENT, 'utf8')).replace(
      /^ {2}(\w+): (.*)$/gm,
      (_, key: string, value: string) => `${key.toUpperCase()}=${value}`,
    ),
  );
}

/** The str_replace template of one file the cloud-config writes, with the $names of its params. */
async function writtenFile(filePath: string): Promise<{ template: string; params: Record<string, string> }> {
  const text = await readFile(TEMPLATE, 'utf8');
  const escaped = filePath.replaceAll('/', '\\/').replaceAll('.', '\\.');
  const match = new RegExp(
    `path: ${escaped}\\n[\\s\\S]*?template: \\|\\n([\\s\\S]*?)\\n\\s*params:\\n((?:\\s+\\$\\w+: .*\\n)+)`,
  ).exec(text);
  if (!match) throw new Error(`no str_replace for ${filePath} in the Heat template`);
  const params = Object.fromEntries(
    [...match[2]!.matchAll(/(\$\w+): \{ get_param: (\w+) \}/g)].map((param) => [param[1]!, param[2]!]),
  );
  return { template: match[1]!.replace(/^ +/gm, ''), params };
}

/** A shell function of the install script, by name. */
function shellFunction(script: string, name: string): string {
  const match = new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?\\n\\}$`, 'm').exec(script);
  if (!match) throw new Error(`no function ${name} in the script`);
  return match[0];
}

describe('openstack-heat/ (web tier)', () => {
  let workDir: string;
  let certificateFile: string;
  let template: HeatTemplate;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-heat-'));
    certificateFile = makeCertificate(workDir, 'roles-anywhere', 'glimpse-web').certificate;
    template = loadHeatTemplate(TEMPLATE);
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  const validate = (templateFile: string) => {
    requireHeat();
    const certificate = `roles_anywhere_certificate=@${certificateFile}`;
    return run(SYSTEM_PYTHON, [VALIDATOR, templateFile, EXAMPLE_ENVIRONMENT, certificate], { timeoutMs: 180_000 });
  };

  it("passes Heat's own engine validation offline, with the example environment", () => {
    const result = validate(TEMPLATE);
    expect(result.stdout).toMatch(/^valid: 7 resources, 5 files$/m);
    expect(result.status).toBe(0);
  }, 180_000);

  it('is rejected by the same validation when a property is wrong (the check is real)', async () => {
    const dir = path.join(workDir, 'broken');
    await cp(HEAT_DIR, dir, { recursive: true });
    const broken = (await readFile(TEMPLATE, 'utf8')).replace('port_range_max: 443', 'port_range_maximum: 443');
    await writeFile(path.join(dir, 'glimpse-web.yaml'), broken);
    const result = validate(path.join(dir, 'glimpse-web.yaml'));
    expect(result.stdout).toMatch(/invalid: .*Unknown Property port_range_maximum/);
    expect(result.status).toBe(1);
  }, 180_000);

  describe('secrets', () => {
    it('takes references to the secrets, never a secret: no hidden, key, password or access-key parameter', () => {
      const names = Object.keys(template.parameters);
      expect(names).toEqual(
        expect.arrayContaining([
          'api_key_digests',
          'openstack_auth_url',
          'tls_certificate_secret',
          'tls_key_secret',
          'roles_anywhere_key_secret',
          'roles_anywhere_certificate',
        ]),
      );
      for (const name of names) {
        expect([name, template.parameters[name]!.hidden ?? false]).toEqual([name, false]);
        expect(name).not.toMatch(/private_key|password|access_key|secret_access|token/);
      }
    });

    it('accepts only Barbican secret hrefs where a secret is named', () => {
      const secretReferences = Object.keys(template.parameters).filter((name) => name.endsWith('_secret'));
      expect(secretReferences.sort()).toEqual([
        'roles_anywhere_key_secret',
        'tls_certificate_secret',
        'tls_key_secret',
        'webhook_signing_key_secret',
      ]);
      for (const name of secretReferences) {
        const [pattern] = (template.parameters[name]!.constraints ?? []).map((c) => c.allowed_pattern);
        const accepts = (value: string) => new RegExp(pattern!).test(value);
        expect(accepts('https://barbican.example.com:9311/v1/secrets/0b7c6e36-7d35-4a5b-9d43-0f2a2c4e1a01')).toBe(true);
        expect(accepts('-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----')).toBe(false);
        expect(accepts('http://barbican.example.com/v1/secrets/0b7c6e36-7d35-4a5b-9d43-0f2a2c4e1a01')).toBe(false);
      }
    });

    it("lets no hidden parameter reach the server's user data", () => {
      const reaching = parametersReaching(template, 'server', 'user_data');
      expect([...reaching]).toEqual(expect.arrayContaining(['api_key_digests', 'tls_key_secret', 'input_bucket']));
      const hidden = [...reaching].filter((name) => template.parameters[name]?.hidden);
      expect(hidden).toEqual([]);
    });

    it('would catch a hidden parameter that reaches the user data through another resource (the check is real)', () => {
      const leaky = structuredClone(template) as HeatTemplate & { resources: Record<string, any> };
      leaky.parameters.roles_anywhere_private_key = { type: 'string', hidden: true };
      leaky.resources.config_files.properties.cloud_config.write_files.push({
        path: '/etc/glimpse/rolesanywhere/private-key.pem',
        content: { get_param: 'roles_anywhere_private_key' },
      });
      const reaching = parametersReaching(leaky, 'server', 'user_data');
      expect([...reaching].filter((name) => leaky.parameters[name]?.hidden)).toEqual(['roles_anywhere_private_key']);
    });

    it('fetches the secrets with a one-time credential, installs them, and starts the web tier on its key', async () => {
      const fetcher = await readFile(FETCH_SCRIPT, 'utf8');
      const secretsEnv = await writtenFile('/etc/glimpse/secrets.env');
      const secretsUnit = unitSettings(
        await readFile(path.join(UNIT_DIR, 'glimpse-secrets.service'), 'utf8'),
        'Service',
      );
      expect(secretsUnit.get('EnvironmentFile')).toEqual(['/etc/glimpse/secrets.env']);
      expect(secretsUnit.get('ExecStart')).toEqual(['/usr/local/sbin/glimpse-fetch-secrets']);
      // Each reference is required (`:?`) but the webhook signing secret's (webhooks may stay off).
      for (const name of Object.keys(parseEnvLines(secretsEnv.template))) {
        expect(fetcher).toContain(name === 'WEBHOOK_SIGNING_KEY_SECRET' ? `\${${name}:-}` : `\${${name}:?}`);
      }
      const keyPath = '/etc/glimpse/rolesanywhere/private-key.pem';
      const webPath = unitSettings(await readFile(path.join(UNIT_DIR, 'glimpse-web.path'), 'utf8'), 'Path');
      expect(webPath.get('PathExists')).toEqual([keyPath]);
      const webUnit = unitSettings(await readFile(path.join(UNIT_DIR, 'glimpse-web.service'), 'utf8'), 'Unit');
      expect(webUnit.get('ConditionPathExists')).toEqual([keyPath]);
      expect(await readFile(INIT_SCRIPT, 'utf8')).toContain('systemctl enable --now glimpse-web.path');
    });
  });

  describe('network', () => {
    it('admits HTTP and HTTPS from anywhere and SSH from the admin CIDR: no rule for the app port', () => {
      const rules = (template.resources.security_group!.properties!.rules as Array<Record<string, unknown>>).map(
        (rule) => [rule.port_range_min, rule.port_range_max, rule.remote_ip_prefix],
      );
      expect(rules).toEqual([
        [80, 80, '0.0.0.0/0'],
        [443, 443, '0.0.0.0/0'],
        [22, 22, { get_param: 'ssh_allowed_cidr' }],
      ]);
      expect(Object.keys(template.parameters)).not.toContain('app_port');
    });
  });

  describe('web tier environment', () => {
    it('defaults the queue names to the code defaults', () => {
      const names = loadResourceNames({});
      expect(template.parameters.request_queue!.default).toBe(names.requestQueue);
      expect(template.parameters.dead_letter_queue!.default).toBe(names.deadLetterQueue);
      expect(template.parameters.deadline_queue!.default).toBe(names.deadlineQueue);
      expect(template.parameters.response_queue_prefix!.default).toBe(names.responseQueuePrefix);
    });

    it('listens on 127.0.0.1 behind nginx and requires the API keys the loader reads from the digests file', async () => {
      const { template: envTemplate, params } = await writtenFile('/etc/glimpse/web.env');
      const example = await exampleParameters();
      const filled = Object.entries(params).reduce(
        (text, [placeholder, parameter]) =>
          text.replaceAll(
            placeholder,
            example[parameter.toUpperCase()] ?? String(template.parameters[parameter]?.default ?? ''),
          ),
        envTemplate,
      );
      const env = parseEnvLines(filled);
      for (const name of Object.keys(env)) expect(KNOWN_ENV_VARS).toContain(name);
      // The digests file as the template writes it: the parameter's commas become line breaks.
      const digests = example.API_KEY_DIGESTS!.replace(/^'|'$/g, '');
      const keysFile = path.join(workDir, 'api-keys');
      await writeFile(keysFile, `${digests.replaceAll(',', '\n')}\n`);
      expect(env.GLIMPSE_API_KEYS_FILE).toBe('/etc/glimpse/api-keys');
      const config = loadWebConfig({ ...env, GLIMPSE_API_KEYS_FILE: keysFile });
      expect(config).toMatchObject({
        host: '127.0.0.1',
        port: 3000,
        scalerFunction: 'glimpse-prod-scaler',
        names: {
          ...loadResourceNames({}),
          inputBucket: 'glimpse-input-123456789012-us-east-1',
          outputBucket: 'glimpse-output-123456789012-us-east-1',
        },
        // The course clients' route is open but limited per address: the limits are parameters.
        edge: { requestsPerMinute: 120, imagesPerMinute: 600 },
        model: {
          models: ['mobilenetv2-12-int8'],
          bucket: { name: 'glimpse-models-123456789012-us-east-1', prefix: 'models/' },
        },
      });
      // The model cache is the unit's StateDirectory: the one folder the sandbox lets the app write.
      const unit = unitSettings(await readFile(path.join(UNIT_DIR, 'glimpse-web.service'), 'utf8'), 'Service');
      const stateDir = `/var/lib/${unit.get('StateDirectory')?.[0]}`;
      expect(config.model.cacheDir.startsWith(`${stateDir}/`)).toBe(true);
      expect(config.model.modelDir.startsWith(`${stateDir}/`)).toBe(true);
      expect(config.edge.apiKeyDigests).toEqual(digests.split(','));
      expect(config.edge.trustProxy).toBe('loopback');
      expect(config.aws.credentials).toBeUndefined();
      expect(template.parameters.api_key_digests!.default).toBeUndefined();
    });

    it('refuses to install without at least one API key digest', async () => {
      const requireApiKeys = shellFunction(await readFile(INIT_SCRIPT, 'utf8'), 'require_api_keys');
      const check = async (content: string | undefined) => {
        const file = path.join(workDir, `keys-${Math.random().toString(36).slice(2)}`);
        if (content !== undefined) await writeFile(file, content);
        const script = `set -euo pipefail\napi_keys_file='${file}'\n${requireApiKeys}\nrequire_api_keys\necho installed`;
        return run(requireTool('bash'), ['-c', script]);
      };
      expect((await check(`${'a'.repeat(64)}\n`)).stdout).toBe('installed\n');
      for (const refused of [undefined, '', '\n', `${'a'.repeat(64)}\nnot-a-digest\n`, 'my-plain-key\n']) {
        const result = await check(refused);
        expect([refused, result.status, result.stdout]).toEqual([refused, 1, '']);
      }
    });

    it('uses only GLIMPSE_* variables the code reads (template, scripts, units)', async () => {
      const files = [
        TEMPLATE,
        INIT_SCRIPT,
        FETCH_SCRIPT,
        ...['glimpse-web.service', 'glimpse-secrets.service'].map((name) => path.join(UNIT_DIR, name)),
      ];
      const used = glimpseNamesIn((await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n'));
      expect(used.length).toBeGreaterThan(5);
      for (const name of used) expect(KNOWN_ENV_VARS).toContain(name);
    });
  });

  describe('downloads', () => {
    it('pins Node.js and the signing helper by version and sha256, and checks each before use', async () => {
      const script = await readFile(INIT_SCRIPT, 'utf8');
      expect(script).not.toMatch(/latest|SHASUMS256\.txt"/);
      expect(script).toMatch(/^node_version=24\.\d+\.\d+$/m);
      expect(script).toMatch(/^ +node_sha256=[0-9a-f]{64}$/m);
      expect(script).toMatch(/^signing_helper_version=\d+\.\d+\.\d+$/m);
      expect(script).toMatch(/^ +signing_helper_sha256=[0-9a-f]{64}$/m);
      const download = shellFunction(script, 'download_verified');
      expect(download).toContain('sha256sum --check --strict');
      for (const installer of ['install_node', 'configure_roles_anywhere', 'install_app']) {
        const body = shellFunction(script, installer);
        expect([installer, body]).toEqual([installer, expect.stringContaining('download_verified ')]);
        expect(body).not.toMatch(/curl /);
      }
      // The web tier and the workers run the same Node.js.
      const hcl = await readFile(path.join(REPO_ROOT, 'packer', 'worker.pkr.hcl'), 'utf8');
      const packerDefault = (name: string) =>
        new RegExp(`variable "${name}" \\{[^}]*default\\s*=\\s*"([^"]+)"`).exec(hcl)?.[1];
      expect(/^node_version=(.*)$/m.exec(script)?.[1]).toBe(packerDefault('node_version'));
      expect(/^ +node_sha256=(.*)$/m.exec(script)?.[1]).toBe(packerDefault('node_sha256'));
    });
  });

  describe('nginx', () => {
    it("puts nginx's limits at the app's: the request cap, timeouts against slow clients, no request buffering", async () => {
      const script = await readFile(INIT_SCRIPT, 'utf8');
      const defaultCap = /max_request_bytes="\$\{max_request_bytes:-(\d+)\}"/.exec(script)?.[1];
      expect(Number(defaultCap)).toBe(loadWebConfig({}).maxRequestBytes);
      expect(script).toContain("sed -n 's/^GLIMPSE_MAX_REQUEST_BYTES=//p' /etc/glimpse/web.env");
      expect(script).toMatch(/^ {2}client_max_body_size \$\{max_request_bytes\};$/m);
      expect(script).toMatch(/^ {2}client_header_timeout 10s;$/m);
      expect(script).toMatch(/^ {2}client_body_timeout 30s;$/m);
      expect(script).toMatch(/^ {2}proxy_request_buffering off;$/m);
    });
  });

  describe('systemd units', () => {
    it(`has a web unit that systemd-analyze security rates at most ${EXPOSURE_THRESHOLD}`, async () => {
      const unit = await readFile(path.join(UNIT_DIR, 'glimpse-web.service'), 'utf8');
      const report = await analyzeSecurity('glimpse-web.service', unit);
      expect([report.rating, report.status]).toEqual(['OK', 0]);
      expect(report.exposure).toBeLessThanOrEqual(EXPOSURE_THRESHOLD);
      const bare = await analyzeSecurity('glimpse-web.service', withoutSandbox(unit));
      expect(bare.exposure).toBeGreaterThan(EXPOSURE_THRESHOLD);
      expect(bare.status).not.toBe(0);
    });

    it('sandboxes the web tier: no devices, no metadata service, a memory cap, nothing writable but /tmp and its state', async () => {
      const service = unitSettings(await readFile(path.join(UNIT_DIR, 'glimpse-web.service'), 'utf8'), 'Service');
      for (const [key, value] of Object.entries(REQUIRED_HARDENING)) {
        expect([key, service.get(key)]).toEqual([key, expect.arrayContaining([value])]);
      }
      expect(service.get('PrivateDevices')).toEqual(['yes']);
      expect(service.get('IPAddressDeny')).toEqual(['169.254.169.254']);
      expect(service.get('MemoryMax')?.[0]).toMatch(/^\d+[KMG]$/);
      expect(service.get('ReadWritePaths')).toBeUndefined();
      expect(service.get('StateDirectory')).toEqual(['glimpse']);
      expect(service.get('StateDirectoryMode')).toEqual(['0700']);
      expect(service.get('MemoryDenyWriteExecute')).toBeUndefined();
      expect(service.get('User')).toEqual(['glimpse']);
      expect(service.get('EnvironmentFile')).toEqual(['/etc/glimpse/web.env', '-/etc/glimpse/webhook.env']);
      expect(service.get('ExecStart')).toEqual(['/usr/local/bin/node dist/nest-web/main.js']);
    });

    it('has units that systemd-analyze verify accepts, and the template installs each of them', async () => {
      const names = ['glimpse-web.service', 'glimpse-web.path', 'glimpse-secrets.service'];
      const templateText = await readFile(TEMPLATE, 'utf8');
      for (const name of names) {
        expect(templateText).toContain(`path: /etc/systemd/system/${name}\n`);
        expect(templateText).toContain(`content: { get_file: files/${name} }`);
        // verify checks that each ExecStart binary exists: point them at this machine's.
        const unit = (await readFile(path.join(UNIT_DIR, name), 'utf8'))
          .replaceAll('/usr/local/bin/node', process.execPath)
          .replaceAll('/usr/local/sbin/glimpse-fetch-secrets', FETCH_SCRIPT);
        await writeFile(path.join(workDir, name), unit);
      }
      const result = run(requireTool('systemd-analyze'), ['verify', ...names.map((name) => path.join(workDir, name))], {
        cwd: workDir,
      });
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  });
});
