import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChaosReport } from '#tools/chaos/chaos-report.js';
import { modelMirrorDir, REPO_ROOT, SHARED_IMAGES } from '../support/paths.js';

const CHAOS_ENTRY = path.join(REPO_ROOT, 'dist', 'tools', 'chaos', 'main.js');
const UPLOADS = 40;

/** Runs the built chaos CLI; its exit code, its report (stdout) and its log (stderr). */
async function chaos(argv: readonly string[], dataDir: string) {
  const child = spawn(process.execPath, [CHAOS_ENTRY, ...argv], {
    env: { GLIMPSE_MODEL_MIRROR: modelMirrorDir(), GLIMPSE_DATA_DIR: dataDir, GLIMPSE_EXECUTION_PROVIDER: 'cpu' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [output, log] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output, log };
}

/** The short chaos run CI does: workers killed under a burst; nothing may be misrouted, duplicated or wrong. */
describe('npm run chaos (the built CLI), short form', () => {
  it(`answers ${UPLOADS} photos under a kill -9 every 2 s with no misrouted, duplicated or wrong answer`, async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'glimpse-chaos-e2e-'));
    try {
      // Prepare
      const jsonFile = path.join(folder, 'chaos.json');
      const argv = ['--requests', String(UPLOADS), '--concurrency', '10', '--kill-every', '2s', '--wait', '60'];

      // Act
      const { code, output, log } = await chaos([...argv, '--images', SHARED_IMAGES, '--json', jsonFile], folder);

      // Assess
      expect({ code, output, log }).toEqual({
        code: expect.any(Number),
        output: expect.stringContaining('verdict'),
        log,
      });
      const { figures, ok } = JSON.parse(await readFile(jsonFile, 'utf8')) as ChaosReport;
      process.stdout.write(`\nChaos figures (${UPLOADS} photos, 10 in flight, a kill every 2 s):\n${output}\n`);
      expect(figures).toMatchObject({ uploads: UPLOADS, misrouted: 0, duplicated: 0, wrong: 0, rejected: 0 });
      // Every answer it got was right; whether all come within the wait depends on crash recovery.
      expect(figures.answered + figures.lost).toBe(UPLOADS);
      expect(figures.checked).toBe(figures.answered + figures.wrong + figures.misrouted);
      expect(figures.kills).toBeGreaterThan(0);
      expect(code).toBe(ok ? 0 : 1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 100_000);
});
