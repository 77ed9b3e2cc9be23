import { createProcessLogger } from '#core/logging/logger.js';
import { EXIT_FAILED, EXIT_OK, runCli } from '../shared/cli.js';
import { classifyAll } from './classify-all.js';
import { readExpectedLabels } from './expected-labels.js';
import { readImages } from './images.js';
import { parseLoadOptions } from './load-options.js';
import { summarise } from './load-report.js';

/** The workload client: many multipart uploads in flight, every answer checked against its image. */
const log = createProcessLogger('load', process.env);

process.exitCode = await runCli(log, async () => {
  const options = parseLoadOptions(process.argv.slice(2));
  const images = await readImages(options.imagesDir);
  const expected = options.expectFile ? await readExpectedLabels(options.expectFile) : undefined;
  const started = performance.now();
  const answers = await classifyAll(images, options, log);
  const report = summarise(answers, (performance.now() - started) / 1000, expected);
  process.stdout.write(`${report.text}\n`);
  return report.ok ? EXIT_OK : EXIT_FAILED;
});
