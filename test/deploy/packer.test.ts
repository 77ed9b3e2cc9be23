import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KNOWN_ENV_VARS } from '#core/config/env-vars.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { DEFAULT_MODEL, modelSpec } from '#core/models/registry.js';
import { existsSync } from 'node:fs';
import { DIST_WORKER_ENTRY, modelMirrorDir, REPO_ROOT } from '../support/paths.js';
import { glimpseNamesIn, parseEnvLines, requireTool, run } from './tools.js';

const PACKER_DIR = path.join(REPO_ROOT, 'packer');
const UNIT_FILE = path.join(PACKER_DIR, 'files', 'glimpse-worker.service');
const PATH_UNIT_FILE = path.join(PACKER_DIR, 'files', 'glimpse-worker.path');

/** `Key=value` settings of one section of a systemd unit (repeated keys keep every value). */
function unitSettings(unit: string, section: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let current = '';
  for (const line of unit.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header) current = header[1]!;
    const setting = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (setting && current === section) settings.set(setting[1]!, [...(settings.get(setting[1]!) ?? []), setting[2]!]);
  }
  return settings;
}

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

  it('passes packer validate', () => {
    const result = run(requireTool('packer'), ['validate', `-var=worker_tarball=${tarball}`, '.'], { cwd: PACKER_DIR });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes packer fmt -check', () => {
    const result = run(requireTool('packer'), ['fmt', '-check', '.'], { cwd: PACKER_DIR });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('bakes the default model of the registry', async () => {
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
    expect(service.get('ExecStart')).toEqual([
      `/usr/local/bin/node ${path.relative(REPO_ROOT, DIST_WORKER_ENTRY).split(path.sep).join('/')}`,
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
      if (!existsSync(path.join(REPO_ROOT, 'dist', 'core', 'models', 'model-files.js'))) {
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

    it('bakes the model files the registry names and checks each sha256', async () => {
      const cacheDir = path.join(workDir, 'baked');
      const result = bake(cacheDir, modelMirrorDir());
      expect(result.status).toBe(0);
      const spec = modelSpec(DEFAULT_MODEL);
      expect(result.stdout).toContain(`${spec.weights.fileName}: OK`);
      expect(result.stdout).toContain(`${spec.labels.fileName}: OK`);
      expect(await readFile(path.join(cacheDir, 'SHA256SUMS'), 'utf8')).toBe(
        `${spec.weights.sha256}  ${spec.weights.fileName}\n${spec.labels.sha256}  ${spec.labels.fileName}\n`,
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
