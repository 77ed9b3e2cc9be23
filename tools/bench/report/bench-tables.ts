import type { BenchReport } from '../bench-report.js';
import type { CpuPerImage } from '../../shared/process-cpu.js';
import type { StackPhase } from '../stack-phases.js';
import type { AnswerCheck } from '../summary.js';
import { figure, percent, renderTable } from './table.js';

const SECTION_HEADER = ['section', 'images', 'images/s', 'p50 ms', 'p95 ms', 'compared', 'errors', 'agree', 'right'];

/** The report on stdout: the sections side by side, CPU per image per process, the machine, the verdict. */
export function renderBenchReport(report: BenchReport): string {
  return [
    renderTable([SECTION_HEADER, ...sectionRows(report)]),
    '',
    renderTable(cpuRows(report)),
    '',
    ...rssTable(report),
    ...noteLines(report),
  ].join('\n');
}

function answerCells(check: AnswerCheck): string[] {
  return [String(check.errors), percent(check.agreementPct), percent(check.accuracyPct)];
}

function phaseRow(name: string, phase: StackPhase, compared: string): string[] {
  const speed = [figure(phase.imagesPerSecond), figure(phase.p50Ms), figure(phase.p95Ms)];
  return [name, String(phase.images), ...speed, compared, ...answerCells(phase)];
}

function sectionRows({ bare, e2e, oneClient, burst, cold, comparisons, options }: BenchReport): string[][] {
  const rows: string[][] = [];
  if (bare) {
    const { fastest, quickest } = bare;
    const { p50Ms, p95Ms } = quickest.latency;
    const name = `bare (${fastest.intraOpThreads} thr, batch ${fastest.batch})`;
    const speed = [figure(fastest.imagesPerSecond), figure(p50Ms), figure(p95Ms)];
    rows.push([name, String(options.requests), ...speed, 'the limit', ...answerCells(fastest)]);
  }
  if (e2e) rows.push(phaseRow(`end to end (${e2e.concurrency} in flight)`, e2e, times(comparisons.e2eToBare, 'bare')));
  if (oneClient) {
    const overhead = comparisons.oneClientOverheadMs;
    rows.push(phaseRow('one client', oneClient, overhead === undefined ? '' : `+${figure(overhead)} ms overhead`));
  }
  if (burst) rows.push(phaseRow(`burst (${burst.concurrency} in flight)`, burst, times(comparisons.burstToE2e, 'e2e')));
  if (cold) rows.push(['cold (0 workers → answer)', '1', '', figure(cold.ms), '', '', ...answerCells(cold)]);
  return rows;
}

function times(value: number | undefined, of: string): string {
  return value === undefined ? '' : `${figure(value, 2)}× ${of}`;
}

/** CPU ms per image by process (rows) and measured phase (columns); n/a where /proc could not tell. */
function cpuRows({ bare, e2e, burst }: BenchReport): string[][] {
  const phases: Array<[string, StackPhase]> = [];
  if (e2e) phases.push(['end to end', e2e]);
  if (burst) phases.push(['burst', burst]);
  const bareCells = bare ? [''] : [];
  const row = (name: string, pick: (cpu: CpuPerImage) => number | undefined) => [
    name,
    ...bareCells,
    ...phases.map(([, phase]) => (phase.cpuMsPerImage ? figure(pick(phase.cpuMsPerImage)) : 'n/a')),
  ];
  const pids = [...new Set(phases.flatMap(([, phase]) => phase.cpuMsPerImage?.workers.map((w) => w.pid) ?? []))];
  const stackRows = [
    row('stack (web + emulator)', (cpu) => cpu.stack),
    ...pids.map((pid) => row(`worker ${pid}`, (cpu) => cpu.workers.find((w) => w.pid === pid)?.ms)),
    row('workers (sum)', (cpu) => cpu.workersSum),
    row('stack + workers', (cpu) => cpu.total),
  ];
  return [
    ['CPU ms per image', ...(bare ? ['bare'] : []), ...phases.map(([name]) => name)],
    ...(bare ? [['bare (this process)', figure(bare.fastest.cpuMsPerImage), ...phases.map(() => '')]] : []),
    ...(phases.length > 0 ? stackRows : []),
  ];
}

/**
 * RSS per process over the burst (the longest phase): the mean of its first and last thirds of
 * samples, a leak showing as a last third well above the first. Nothing where /proc could not tell.
 */
function rssTable({ burst }: BenchReport): string[] {
  if (!burst?.rss) return [];
  const rows = burst.rss.map((process) => [
    process.role === 'stack' ? 'stack (web + emulator)' : `worker ${process.pid}`,
    String(process.samples),
    figure(process.firstThirdMiB),
    figure(process.lastThirdMiB),
    `${process.changePct >= 0 ? '+' : ''}${figure(process.changePct)}%`,
    figure(process.peakMiB),
  ]);
  const header = ['RSS MiB, burst', 'samples', 'first third', 'last third', 'change', 'peak'];
  return [renderTable([header, ...rows]), ''];
}

function noteLines({ machine, options, bare, profiles, failures }: BenchReport): string[] {
  return [
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.platform}`,
    `model ${options.model}; ${options.workers} warm workers; images from ${options.imagesDir}`,
    ...(bare?.runs ?? []).map(
      (run) =>
        `bare with ${run.intraOpThreads} intra-op thread(s) on ${run.executionProvider}: ${figure(run.imagesPerSecond)} images/s, ` +
        `${figure(run.cpuMsPerImage)} CPU ms/image, batch-1 p50 ${figure(run.latency.p50Ms)} ms`,
    ),
    ...profiles.map((profile) => `profile (${profile.process}): ${profile.file}`),
    ...(failures.length === 0
      ? ['answers: every one 200, about its own image, agreeing with the reference']
      : ['FAILED:', ...failures.map((failure) => `  ${failure}`)]),
  ];
}
