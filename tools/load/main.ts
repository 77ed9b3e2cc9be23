import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { mapConcurrently } from '../shared/concurrency.js';
import { percentile } from '../shared/percentile.js';
import { classifyOnce, type Answer } from './classify-request.js';
import { parseLoadOptions, UsageError } from './load-options.js';

/** The workload client: many multipart uploads in flight, every answer checked against its image. */
const IMAGE_FILE = /\.(jpe?g|png|webp|gif|tiff?|avif)$/i;

try {
  const options = parseLoadOptions(process.argv.slice(2));
  const files = (await readdir(options.imagesDir)).filter((name) => IMAGE_FILE.test(name)).sort();
  if (files.length === 0) throw new UsageError(`no images in ${options.imagesDir}`);
  const expected = options.expectFile ? await readExpectedLabels(options.expectFile) : undefined;
  const images = new Map(
    await Promise.all(files.map(async (name) => [name, await readFile(path.join(options.imagesDir, name))] as const)),
  );

  const bar = new cliProgress.SingleBar(
    {
      format: 'classifying [{bar}] {value}/{total} {percentage}% | {errors} errors | {eta_formatted} left',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(files.length, 0, { errors: 0 });
  let errors = 0;
  const started = performance.now();
  const answers = await mapConcurrently(files, options.concurrency, async (name) => {
    const answer = await classifyOnce(options.url, name, images.get(name)!, options);
    if (answer.status !== 200 || !answer.namesOwnImage) errors++;
    bar.increment(1, { errors });
    return answer;
  });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  const report = summarise(answers, seconds, expected);
  process.stdout.write(`${report.text}\n`);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  process.stderr.write(`load: ${(error as Error).message}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}

async function readExpectedLabels(file: string): Promise<Map<string, string>> {
  const [header, ...rows] = (await readFile(file, 'utf8')).trim().split(/\r?\n/);
  const columns = header!.split(',');
  const nameColumn = columns.indexOf('filename');
  const labelColumn = columns.indexOf('label');
  if (nameColumn < 0 || labelColumn < 0) throw new UsageError(`${file} needs the columns filename and label`);
  return new Map(rows.map((row) => row.split(',')).map((fields) => [fields[nameColumn]!, fields[labelColumn]!]));
}

function summarise(
  answers: readonly Answer[],
  seconds: number,
  expected?: Map<string, string>,
): { ok: boolean; text: string } {
  const answered = answers.filter((a) => a.status === 200);
  const misrouted = answered.filter((a) => !a.namesOwnImage);
  const byStatus = new Map<number, number>();
  for (const answer of answers.filter((a) => a.status !== 200))
    byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
  const latencies = answers.map((a) => a.ms);
  const lines = [
    `requests          ${answers.length} in ${seconds.toFixed(1)} s: ${(answers.length / seconds).toFixed(1)} images/s`,
    `answered (200)    ${answered.length}`,
    `named own image   ${answered.length - misrouted.length}/${answered.length}${misrouted.length ? `  MISROUTED: ${misrouted.map((a) => a.filename).join(', ')}` : ''}`,
    ...[...byStatus.entries()].map(([status, count]) => `status ${status === 0 ? 'network error' : status}  ${count}`),
    `latency ms        p50 ${percentile(latencies, 50).toFixed(0)}  p90 ${percentile(latencies, 90).toFixed(0)}  ` +
      `p95 ${percentile(latencies, 95).toFixed(0)}  p99 ${percentile(latencies, 99).toFixed(0)}  max ${Math.max(...latencies).toFixed(0)}`,
  ];
  if (expected) {
    const checked = answered.filter((a) => expected.has(a.filename));
    const right = checked.filter((a) => a.label === expected.get(a.filename));
    lines.push(
      `labels correct    ${right.length}/${checked.length} (${((100 * right.length) / Math.max(1, checked.length)).toFixed(1)}%)`,
    );
  }
  return { ok: misrouted.length === 0 && answered.length === answers.length, text: lines.join('\n') };
}
