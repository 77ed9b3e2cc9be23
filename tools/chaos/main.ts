import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createProcessLogger } from '#core/logging/logger.js';
import { EXIT_FAILED, EXIT_OK, runCli } from '../shared/cli.js';
import { killRunningStacks, stopRunningStacks } from '../shared/stack-process.js';
import { parseChaosOptions } from './chaos-options.js';
import { removeDataDirs } from './chaos-target.js';
import { renderChaosReport } from './chaos-text.js';
import { runChaos } from './run-chaos.js';

/**
 * `npm run chaos`: a burst of uploads while workers are killed (and the stack maybe restarted),
 * then answered / lost / misrouted / duplicated and latency on stdout, every figure in `--json
 * FILE`. Exits 1 when an upload was not answered right or a job was duplicated. Options: chaos-options.ts.
 */
const log = createProcessLogger('chaos', process.env);

// No stack, worker or data dir outlives the run: stopped in order on Ctrl-C, killed if the tool exits otherwise.
process.on('exit', () => {
  killRunningStacks();
  removeDataDirs();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.warn({ signal }, 'interrupted: stopping the stack');
    void stopRunningStacks().finally(() => process.exit(130));
  });
}

process.exitCode = await runCli(log, async () => {
  const options = parseChaosOptions(process.argv.slice(2), os.availableParallelism());
  const report = await runChaos(options, process.env, log);
  process.stdout.write(`${renderChaosReport(report)}\n`);
  if (options.jsonFile) {
    await mkdir(path.dirname(path.resolve(options.jsonFile)), { recursive: true });
    await writeFile(options.jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`figures: ${options.jsonFile}\n`);
  }
  return report.ok ? EXIT_OK : EXIT_FAILED;
});
