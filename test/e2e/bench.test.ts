import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchReport } from '#tools/bench/bench-report.js';
import type { AnswerCheck } from '#tools/bench/summary.js';
import { modelMirrorDir, REPO_ROOT, SHARED_IMAGES } from '../support/paths.js';

const BENCH_ENTRY = path.join(REPO_ROOT, 'dist', 'tools', 'bench', 'main.js');

/** Runs the built bench CLI; its exit code and everything it printed. */
async function bench(argv: readonly string[], dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [BENCH_ENTRY, ...argv], {
    env: { GLIMPSE_MODEL_MIRROR: modelMirrorDir(), GLIMPSE_DATA_DIR: dataDir, GLIMPSE_EXECUTION_PROVIDER: 'cpu' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

/** Each section's answer counts, by name. */
function answerCounts(report: BenchReport): Array<Record<string, unknown>> {
  const checks: Array<[string, AnswerCheck | undefined]> = [
    ...report.bare!.runs.map((run): [string, AnswerCheck] => [`bare ${run.intraOpThreads}`, run]),
    ['e2e', report.e2e],
    ['one client', report.oneClient],
    ['burst', report.burst],
    ['cold', report.cold],
  ];
  return checks.map(([name, check]) => ({
    name,
    errors: check?.errors,
    misnamed: check?.misnamed,
    agreementPct: check?.agreementPct,
  }));
}

/** The short bench CI runs: it must finish with every answer right; its speed is not asserted. */
describe('npm run bench (the built CLI) with small counts', () => {
  it('runs every section and writes JSON in which every answer was 200 and agreed with the reference', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'glimpse-bench-e2e-'));
    try {
      // Prepare
      const jsonFile = path.join(folder, 'bench.json');

      // Act
      const { code, output } = await bench(
        ['--requests', '40', '--burst', '40', '--one-client', '5', '--images', SHARED_IMAGES, '--json', jsonFile],
        folder,
      );

      // Assess
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('section') });
      const report = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchReport;
      expect(report.failures).toEqual([]);
      expect(report.ok).toBe(true);
      for (const counts of answerCounts(report))
        expect(counts).toEqual({ name: counts.name, errors: 0, misnamed: 0, agreementPct: 100 });
      expect([report.e2e!.images, report.oneClient!.images, report.burst!.images]).toEqual([40, 5, 40]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 150_000);
});
