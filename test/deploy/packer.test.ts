import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KNOWN_ENV_VARS } from '#core/config/env-vars.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { BUILT_IN_MODEL_NAMES, DEFAULT_MODEL, modelSpec } from '#core/models/registry.js';
import { existsSync } from 'node:fs';
import { DIST_WORKER_ENTRY, modelMirrorDir, REPO_ROOT } from '../support/paths.js';
import { analyzeSecurity, EXPOSURE_THRESHOLD, REQUIRED_HARDENING, unitSettings, withoutSandbox } from './systemd.js';
import { glimpseNamesIn, parseEnvLines, requireTool, run } from './tools.js';
import { WORKER_NODE_FLAGS } from '#local/worker-process.js';

const PACKER_DIR = path.join(REPO_ROOT, 'packer');
const UNIT_FILE = path.join(PACKER_DIR, 'files', 'glimpse-worker.service');
const PATH_UNIT_FILE = path.join(PACKER_DIR, 'files', 'glimpse-worker.path');
const TEMPLATE = path.join(PACKER_DIR, 'worker.pkr.hcl');
/** The address the build instance's temporary security group admits (a documentation range). */
const BUILDER_CIDR = '203.0.113.7/32';

describe('packer/ (worker AMI)', () => {
  let workDir: string;
  let tarball: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-packer-'));
    // packer validate checks that the file provisioner's source exists; the real one is built by
    // `npm run build && tar …` (docs/deploy.md).
    tarball = path.join(workDir, 'glimpse-worker.tgz');
    await writeFile(tarball, '');
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  const validate = (builderCidr: string) =>
    run(
      requireTool('packer'),
      ['validate', `-var=worker_tarball=${tarball}`, `-var=builder_cidr=${builderCidr}`, '.'],
      {
        cwd: PACKER_DIR,
      },
    );

  it('passes packer validate', () => {
    const result = validate(BUILDER_CIDR);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it("opens the build instance's SSH to the builder's address only, never to everyone", async () => {
    const hcl = await readFile(TEMPLATE, 'utf8');
    expect(hcl).toMatch(/^\s*temporary_security_group_source_cidrs\s*=\s*\[var\.builder_cidr\]$/m);
    expect(hcl).not.toMatch(/variable "builder_cidr" \{[^}]*default/);
    for (const everyone of ['0.0.0.0/0', '10.0.0.0/0']) {
      const result = validate(everyone);
      expect(result.output).toMatch(/builder_cidr must be the builder's own address range/);
      expect(result.status).not.toBe(0);
    }
  });

  it('makes the build instance IMDSv2-only (hop limit 1) before anything is copied or run on it', async () => {
    const hcl = await readFile(TEMPLATE, 'utf8');
    const provisioners = [...hcl.matchAll(/^ {2}provisioner "([\w-]+)" \{([\s\S]*?)^ {2}\}$/gm)];
    expect(provisioners.length).toBeGreaterThan(1);
    const [kind, body] = [provisioners[0]![1], provisioners[0]![2]!];
    expect(kind).toBe('shell-local');
    expect(body).toContain('aws ec2 modify-instance-metadata-options');
    expect(body).toContain('--instance-id ${build.ID}');
    expect(body).toContain('--http-tokens required');
    expect(body).toContain('--http-put-response-hop-limit 1');
    expect(hcl).not.toMatch(/iam_instance_profile/);
  });

  it('installs Node.js pinned by version and sha256, checked before it is unpacked', async () => {
    const hcl = await readFile(TEMPLATE, 'utf8');
    const defaultOf = (name: string) =>
      new RegExp(`variable "${name}" \\{[^}]*default\\s*=\\s*"([^"]+)"`).exec(hcl)?.[1];
    expect(defaultOf('node_version')).toMatch(/^24\.\d+\.\d+$/);
    expect(defaultOf('node_sha256')).toMatch(/^[0-9a-f]{64}$/);
    const script = await readFile(path.join(PACKER_DIR, 'scripts', 'install-node.sh'), 'utf8');
    expect(script).not.toMatch(/latest|SHASUMS256/);
    expect(script.indexOf('sha256sum --check --strict')).toBeGreaterThan(-1);
    expect(script.indexOf('sha256sum --check --strict')).toBeLessThan(script.indexOf('tar -xJf'));
  });

  it('passes packer fmt -check', () => {
    const result = run(requireTool('packer'), ['fmt', '-check', '.'], { cwd: PACKER_DIR });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it("tags the image with the registry's default model, on Amazon's base image and a gp3 volume", async () => {
    const hcl = await readFile(path.join(PACKER_DIR, 'worker.pkr.hcl'), 'utf8');
    const modelVariable = /variable "model" \{[^}]*default\s*=\s*"([^"]+)"/.exec(hcl);
    expect(modelVariable?.[1]).toBe(DEFAULT_MODEL);
    expect(hcl).toMatch(/owners\s*=\s*\["amazon"\]/);
    expect(hcl).toMatch(/volume_type\s*=\s*"gp3"/);
  });

  it('runs the built worker under systemd with the user-data env file and a graceful stop', async () => {
    const unit = await readFile(UNIT_FILE, 'utf8');
    const service = unitSettings(unit, 'Service');
    expect(service.get('EnvironmentFile')).toEqual(['/etc/glimpse/worker.env']);
    expect(service.get('Restart')).toEqual(['on-failure']);
    expect(service.get('KillSignal')).toEqual(['SIGTERM']);
    // The same V8 flags as the local fleet's worker processes.
    expect(service.get('ExecStart')).toEqual([
      `/usr/local/bin/node ${WORKER_NODE_FLAGS.join(' ')} ${path.relative(REPO_ROOT, DIST_WORKER_ENTRY).split(path.sep).join('/')}`,
    ]);

    const env = parseEnvLines((service.get('Environment') ?? []).join('\n'));
    for (const name of Object.keys(env).filter((key) => key.startsWith('GLIMPSE_'))) {
      expect(KNOWN_ENV_VARS).toContain(name);
    }
    const config = loadWorkerConfig(env);
    expect(['auto', 'cuda']).toContain(config.executionProvider);
    expect(config.model.cacheDir).toBe('/opt/glimpse/models');
    const timeoutStop = Number(service.get('TimeoutStopSec')?.[0]);
    expect(timeoutStop).toBeGreaterThan(config.stopGraceSeconds);

    const pathUnit = unitSettings(await readFile(PATH_UNIT_FILE, 'utf8'), 'Path');
    expect(pathUnit.get('PathExists')).toEqual(service.get('EnvironmentFile'));
    expect(pathUnit.get('Unit')).toEqual(['glimpse-worker.service']);
  });

  it(`has a worker unit that systemd-analyze security rates at most ${EXPOSURE_THRESHOLD}`, async () => {
    const unit = await readFile(UNIT_FILE, 'utf8');
    const report = await analyzeSecurity('glimpse-worker.service', unit);
    expect([report.exposure, report.rating, report.status]).toEqual([expect.any(Number), 'OK', 0]);
    expect(report.exposure).toBeLessThanOrEqual(EXPOSURE_THRESHOLD);
    // The same analysis fails the unit without its sandbox: the threshold is a real bar.
    const bare = await analyzeSecurity('glimpse-worker.service', withoutSandbox(unit));
    expect(bare.exposure).toBeGreaterThan(EXPOSURE_THRESHOLD);
    expect(bare.status).not.toBe(0);
  });

  it('sandboxes the worker but leaves it the GPU, its model cache and writable-executable memory for V8', async () => {
    const service = unitSettings(await readFile(UNIT_FILE, 'utf8'), 'Service');
    for (const [key, value] of Object.entries(REQUIRED_HARDENING)) {
      expect([key, service.get(key)]).toEqual([key, expect.arrayContaining([value])]);
    }
    expect(service.get('PrivateDevices')).toBeUndefined();
    expect(service.get('DevicePolicy')).toEqual(['closed']);
    expect(service.get('DeviceAllow')).toEqual(['char-nvidia* rw']);
    expect(service.get('ReadWritePaths')).toEqual(['/opt/glimpse/models']);
    expect(service.get('MemoryMax')?.[0]).toMatch(/^\d+(%|[KMG])$/);
    expect(service.get('MemoryDenyWriteExecute')).toBeUndefined();
  });

  it('has units that systemd-analyze verify accepts', async () => {
    // The AMI's node is /usr/local/bin/node; verify checks the ExecStart binary exists, so point it
    // at this machine's node.
    const unit = (await readFile(UNIT_FILE, 'utf8')).replaceAll('/usr/local/bin/node', process.execPath);
    const service = path.join(workDir, 'glimpse-worker.service');
    const pathUnit = path.join(workDir, 'glimpse-worker.path');
    await writeFile(service, unit);
    await writeFile(pathUnit, await readFile(PATH_UNIT_FILE, 'utf8'));
    const result = run(requireTool('systemd-analyze'), ['verify', service, pathUnit], { cwd: workDir });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('uses only environment variables the code reads', async () => {
    const files = [UNIT_FILE, path.join(PACKER_DIR, 'worker.pkr.hcl')];
    for (const script of await readdir(path.join(PACKER_DIR, 'scripts'))) {
      files.push(path.join(PACKER_DIR, 'scripts', script));
    }
    const used = glimpseNamesIn((await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n'));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(KNOWN_ENV_VARS).toContain(name);
  });

  describe('scripts/bake-model.sh', () => {
    const bake = (cacheDir: string, mirrorDir: string) => {
      if (!existsSync(path.join(REPO_ROOT, 'dist', 'core', 'models', 'model-folders.js'))) {
        throw new Error('the bake script runs the built code: run `npm run build` first (npm test does)');
      }
      return run(requireTool('bash'), [path.join(PACKER_DIR, 'scripts', 'bake-model.sh')], {
        env: {
          APP_DIR: REPO_ROOT,
          GLIMPSE_MODEL: DEFAULT_MODEL,
          GLIMPSE_MODEL_CACHE: cacheDir,
          GLIMPSE_MODEL_MIRROR: mirrorDir,
        },
      });
    };

    it('bakes the files and folder of every built-in model and checks each sha256', async () => {
      const cacheDir = path.join(workDir, 'baked');
      const result = bake(cacheDir, modelMirrorDir());
      expect(result.status).toBe(0);
      const sums = new Map<string, string>();
      for (const name of BUILT_IN_MODEL_NAMES) {
        const spec = modelSpec(name);
        for (const artifact of [spec.weights, spec.labels]) sums.set(artifact.fileName, artifact.sha256);
        const folder = path.join(cacheDir, 'built-in', name);
        expect(JSON.parse(await readFile(path.join(folder, 'model.json'), 'utf8'))).toEqual(spec.contract);
      }
      for (const fileName of sums.keys()) expect(result.stdout).toContain(`${fileName}: OK`);
      expect(await readFile(path.join(cacheDir, 'SHA256SUMS'), 'utf8')).toBe(
        [...sums].map(([fileName, sha256]) => `${sha256}  ${fileName}\n`).join(''),
      );
    });

    it("fails on a model file whose bytes are not the registry's", async () => {
      const spec = modelSpec(DEFAULT_MODEL);
      const mirror = path.join(workDir, 'bad-mirror');
      await mkdir(mirror, { recursive: true });
      await copyFile(path.join(modelMirrorDir(), spec.labels.fileName), path.join(mirror, spec.labels.fileName));
      await writeFile(path.join(mirror, spec.weights.fileName), Buffer.alloc(spec.weights.sizeBytes));
      const result = bake(path.join(workDir, 'not-baked'), mirror);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/sha256/);
    });
  });
});
