import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createProcessLogger } from '#core/logging/logger.js';
import { EXIT_OK, runCli } from '../shared/cli.js';
import { renderChart } from './chart.js';
import { compare } from './compare.js';
import { describeModel, summaryTable } from './report.js';
import { parseSimulateOptions } from './simulate-options.js';
import { buildTrace } from './traces.js';

/**
 * The scaling simulator: every policy on every trace, a table of figures per trace on stdout and
 * a chart per trace in `<out>-<trace>.svg` (docs/scaling.md). Options: `simulate-options.ts`.
 */
const log = createProcessLogger('simulate', process.env);

process.exitCode = await runCli(log, async () => {
  const options = parseSimulateOptions(process.argv.slice(2));
  process.stdout.write(`${describeModel(options)}\n`);
  for (const name of options.traces) {
    const trace = buildTrace(name, options.seed);
    const summaries = compare(trace, options.policies, options.model, options.runs, options.seed);
    process.stdout.write(`\n${name}: ${trace.description} (${trace.arrivals.length} requests)\n`);
    process.stdout.write(`${summaryTable(summaries)}\n`);
    const file = `${options.out}-${name}.svg`;
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, await renderChart(`${name}: backlog and workers (first run)`, summaries, log));
    process.stdout.write(`chart: ${file}\n`);
  }
  return EXIT_OK;
});
