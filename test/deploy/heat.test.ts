import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KNOWN_ENV_VARS } from '#core/config/env-vars.js';
import { loadResourceNames } from '#core/config/resource-names.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { REPO_ROOT } from '../support/paths.js';
import { glimpseNamesIn, parseEnvLines, requireHeat, run, SYSTEM_PYTHON } from './tools.js';

const HEAT_DIR = path.join(REPO_ROOT, 'openstack-heat');
const TEMPLATE = path.join(HEAT_DIR, 'glimpse-web.yaml');
const EXAMPLE_ENVIRONMENT = path.join(HEAT_DIR, 'environment.example.yaml');
const INIT_SCRIPT = path.join(HEAT_DIR, 'scripts', 'install-web-tier.sh');
const VALIDATOR = path.join(REPO_ROOT, 'test', 'deploy', 'heat_validate.py');

const validate = (template: string, environment = EXAMPLE_ENVIRONMENT) => {
  requireHeat();
  return run(SYSTEM_PYTHON, [VALIDATOR, template, environment], { timeoutMs: 180_000 });
};

/** The str_replace template of the web tier's env file, with the $names of its params. */
async function webEnvTemplate(): Promise<{ template: string; params: Record<string, unknown> }> {
  const text = await readFile(TEMPLATE, 'utf8');
  const match =
    /path: \/etc\/glimpse\/web\.env[\s\S]*?template: \|\n([\s\S]*?)\n\s*params:\n((?:\s+\$\w+: .*\n)+)/.exec(text);
  if (!match) throw new Error('no web.env str_replace in the Heat template');
  const params = Object.fromEntries(
    [...match[2]!.matchAll(/(\$\w+): \{ get_param: (\w+) \}/g)].map((param) => [param[1]!, param[2]!]),
  );
  return { template: match[1]!.replace(/^ +/gm, ''), params };
}

describe('openstack-heat/ (web tier)', () => {
  it("passes Heat's own engine validation offline, with the example environment", () => {
    const result = validate(TEMPLATE);
    expect(result.stdout).toMatch(/^valid: 7 resources, 1 files$/m);
    expect(result.status).toBe(0);
  }, 180_000);

  it('is rejected by the same validation when a property is wrong (the check is real)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-heat-'));
    try {
      await cp(HEAT_DIR, dir, { recursive: true });
      const broken = (await readFile(TEMPLATE, 'utf8')).replace('port_range_max: 443', 'port_range_maximum: 443');
      await writeFile(path.join(dir, 'glimpse-web.yaml'), broken);
      const result = validate(path.join(dir, 'glimpse-web.yaml'));
      expect(result.stdout).toMatch(/invalid: .*Unknown Property port_range_maximum/);
      expect(result.status).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('takes the parameters the deployment needs, AWS secrets hidden', async () => {
    const text = await readFile(TEMPLATE, 'utf8');
    const names = [...text.matchAll(/^ {2}(\w+):\n {4}type: /gm)].map((match) => match[1]!);
    expect(names).toEqual(
      expect.arrayContaining([
        'image',
        'flavor',
        'key_name',
        'network',
        'external_network',
        'ssh_allowed_cidr',
        'app_port',
        'aws_region',
        'aws_access_key_id',
        'aws_secret_access_key',
        'request_queue',
        'response_queue_prefix',
        'input_bucket',
        'output_bucket',
        'scaler_function',
      ]),
    );
    for (const secret of ['aws_access_key_id', 'aws_secret_access_key', 'roles_anywhere_private_key']) {
      expect(text).toMatch(new RegExp(`^ {2}${secret}:\\n(?: {4}.*\\n)*? {4}hidden: true$`, 'm'));
    }
  });

  it('defaults the queue names to the code defaults', async () => {
    const text = await readFile(TEMPLATE, 'utf8');
    const defaultOf = (name: string) =>
      new RegExp(`^ {2}${name}:\\n(?: {4}.*\\n)*? {4}default: (.*)$`, 'm').exec(text)?.[1];
    const names = loadResourceNames({});
    expect(defaultOf('request_queue')).toBe(names.requestQueue);
    expect(defaultOf('dead_letter_queue')).toBe(names.deadLetterQueue);
    expect(defaultOf('response_queue_prefix')).toBe(names.responseQueuePrefix);
  });

  it('writes a web-tier environment of known variables that the web config loader accepts', async () => {
    const { template, params } = await webEnvTemplate();
    const example = parseEnvLines(
      (await readFile(EXAMPLE_ENVIRONMENT, 'utf8')).replace(
        /^ {2}(\w+): (.*)$/gm,
        (_, key: string, value: string) => `${key.toUpperCase()}=${value}`,
      ),
    );
    const filled = Object.entries(params).reduce(
      (text, [placeholder, parameter]) => text.replaceAll(placeholder, example[String(parameter).toUpperCase()] ?? ''),
      template,
    );
    const env = parseEnvLines(filled);
    for (const name of Object.keys(env)) expect(KNOWN_ENV_VARS).toContain(name);
    const config = loadWebConfig(env);
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 3000,
      scalerFunction: 'glimpse-prod-scaler',
      names: {
        ...loadResourceNames({}),
        inputBucket: 'glimpse-input-123456789012-us-east-1',
        outputBucket: 'glimpse-output-123456789012-us-east-1',
      },
    });
    expect(config.aws.credentials).toBeUndefined();
  });

  it('uses only GLIMPSE_* variables the code reads (template and cloud-init script)', async () => {
    const used = glimpseNamesIn((await readFile(TEMPLATE, 'utf8')) + (await readFile(INIT_SCRIPT, 'utf8')));
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) expect(KNOWN_ENV_VARS).toContain(name);
  });

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

  it('starts the built web tier under systemd with the env file', async () => {
    const script = await readFile(INIT_SCRIPT, 'utf8');
    expect(script).toContain('EnvironmentFile=/etc/glimpse/web.env');
    expect(script).toContain('ExecStart=/usr/local/bin/node dist/nest-web/main.js');
    expect(script).toContain('systemctl enable --now glimpse-web.service');
  });
});
