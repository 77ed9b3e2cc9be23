import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createProcessLogger } from '#core/logging/logger.js';
import { EXIT_FAILED, EXIT_OK, runCli } from '../shared/cli.js';
import { parseBenchOptions } from './bench-options.js';
import { renderBenchReport } from './report/bench-tables.js';
import { runBench } from './run-bench.js';
import { killRunningStacks, stopRunningStacks } from '../shared/stack-process.js';

/**
 * `npm run bench`: the bare cost of recognition on this machine beside the whole pipeline (end to
 * end, one client, cold, burst), as a table on stdout and every figure in `--json FILE`. Exits 1 when
 * an answer was not 200, named another image or disagreed with the reference. Options: bench-options.ts.
 */
const log = createProcessLogger('bench', process.env);

// No stack or worker outlives the bench: stopped in order on Ctrl-C, killed if the bench exits otherwise.
process.on('exit', killRunningStacks);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.warn({ signal }, 'interrupted: stopping the stacks');
    void stopRunningStacks().finally(() => process.exit(130));
  });
}

process.exitCode = await runCli(log, async () => {
  const options = parseBenchOptions(process.argv.slice(2), os.availableParallelism());
  const report = await runBench(options, process.env, log);
  process.stdout.write(`${renderBenchReport(report)}\n`);
  if (options.jsonFile) {
    await mkdir(path.dirname(path.resolve(options.jsonFile)), { recursive: true });
    await writeFile(options.jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`figures: ${options.jsonFile}\n`);
  }
  return report.ok ? EXIT_OK : EXIT_FAILED;
});
