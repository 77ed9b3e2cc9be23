import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureArtifact } from '#core/models/artifact-store.js';
import { ModelIntegrityError, ModelUnavailableError } from '#core/errors.js';
import type { ModelArtifact } from '#core/models/registry.js';

const bytes = Buffer.from('pretend these are model weights');
const artifact = (url = 'http://127.0.0.1:9/model.onnx'): ModelArtifact => ({
  fileName: 'model.onnx',
  url,
  sha256: createHash('sha256').update(bytes).digest('hex'),
  sizeBytes: bytes.length,
});

const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND github.com') });
};

describe('ensureArtifact', () => {
  let dir: string;
  let cacheDir: string;
  let mirrorDir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-artifacts-'));
    cacheDir = path.join(dir, 'cache');
    mirrorDir = path.join(dir, 'mirror');
    await mkdir(mirrorDir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('copies a verified file from the mirror into the cache', async () => {
    await writeFile(path.join(mirrorDir, 'model.onnx'), bytes);
    const target = await ensureArtifact(artifact(), { cacheDir, mirrorDir, fetch: offline });
    expect(target).toBe(path.join(cacheDir, 'model.onnx'));
    expect(await readFile(target)).toEqual(bytes);
  });

  it('serves a verified cached file without the mirror or the network', async () => {
    await writeFile(path.join(mirrorDir, 'model.onnx'), bytes);
    await ensureArtifact(artifact(), { cacheDir, mirrorDir, fetch: offline });
    await rm(mirrorDir, { recursive: true });
    await expect(ensureArtifact(artifact(), { cacheDir, fetch: offline })).resolves.toBe(
      path.join(cacheDir, 'model.onnx'),
    );
  });

  it('refuses a mirror copy whose sha256 differs and caches nothing', async () => {
    await writeFile(path.join(mirrorDir, 'model.onnx'), Buffer.from('pretend these are model weightz'));
    await expect(ensureArtifact(artifact(), { cacheDir, mirrorDir, fetch: offline })).rejects.toThrow(
      ModelIntegrityError,
    );
    await expect(readFile(path.join(cacheDir, 'model.onnx'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('with no mirror and no network, names both ways to get the model', async () => {
    const error = await ensureArtifact(artifact(), { cacheDir, fetch: offline }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('http://127.0.0.1:9/model.onnx');
    expect(message).toContain('GLIMPSE_MODEL_MIRROR');
    expect(message).toContain('ENOTFOUND');
    expect(message).toContain(artifact().sha256);
  });

  describe('downloads over HTTP', () => {
    let server: Server;
    let served: Buffer;
    let base: string;

    beforeAll(async () => {
      server = createServer((_req, res) => res.end(served));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('caches the download when it verifies', async () => {
      served = bytes;
      const target = await ensureArtifact(artifact(`${base}/model.onnx`), { cacheDir });
      expect(await readFile(target)).toEqual(bytes);
    });

    it('replaces a corrupt cached copy', async () => {
      served = bytes;
      await mkdir(cacheDir, { recursive: true });
      await writeFile(path.join(cacheDir, 'model.onnx'), 'truncated');
      const target = await ensureArtifact(artifact(`${base}/model.onnx`), { cacheDir });
      expect(await readFile(target)).toEqual(bytes);
    });

    it('rejects downloaded bytes that do not match and leaves no file', async () => {
      served = Buffer.from('x'.repeat(bytes.length));
      await expect(ensureArtifact(artifact(`${base}/model.onnx`), { cacheDir })).rejects.toThrow(ModelIntegrityError);
      await expect(readFile(path.join(cacheDir, 'model.onnx'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
