import type { ChaosReport } from './chaos-report.js';

/** Problems listed on stdout; the JSON file has them all. */
const PROBLEMS_SHOWN = 20;

/** The report on stdout: the counts, the latency, the chaos done, the verdict and the first problems. */
export function renderChaosReport(report: ChaosReport): string {
  const { figures: f, options } = report;
  const wait = options.waitSeconds;
  const protocol =
    report.protocol === 'wait' ? `POST ?wait=${wait}` : `POST ?wait=0, then polling by id, ${wait} s per upload`;
  const { p50Ms, p95Ms, p99Ms, maxMs } = f.latency;
  return [
    `uploads      ${f.uploads} in ${f.seconds.toFixed(1)} s, ${options.concurrency} in flight (${protocol})`,
    `answered     ${f.answered}  (its own image, done, agreeing with the reference; ${f.checked} compared)`,
    `lost         ${f.lost}  (${f.lostWithJob} with a job id, ${f.finishedLate} of them finished after their wait)`,
    `misrouted    ${f.misrouted}`,
    `duplicated   ${f.duplicated}`,
    `wrong        ${f.wrong}`,
    `rejected     ${f.rejected}`,
    `latency ms   p50 ${ms(p50Ms)}  p95 ${ms(p95Ms)}  p99 ${ms(p99Ms)}  max ${ms(maxMs)}  (answered uploads)`,
    `kills        ${f.kills} (kill -9 every ${options.killEveryMs / 1000} s; ${f.killsSkipped} ticks found no worker)`,
    ...report.restarts.map(
      (r) =>
        `restart      at ${seconds(r.atMs)}: web tier back after ${seconds(r.downMs)}, workers after ${seconds(r.workersBackMs)}`,
    ),
    ...(options.restart && report.restarts.length === 0 ? ['restart      none: the burst ended before its point'] : []),
    ...(f.sends > f.uploads
      ? [`sends        ${f.sends} (${f.sends - f.uploads} sent again: refused or cut off by the restart)`]
      : []),
    report.ok ? 'verdict      OK' : `verdict      FAILED: ${failures(report).join(', ')}`,
    ...report.problems
      .slice(0, PROBLEMS_SHOWN)
      .map((p) => `  #${p.upload} ${p.filename}: ${p.outcome}${p.jobId ? ` (job ${p.jobId})` : ''}: ${p.detail}`),
    ...(report.problems.length > PROBLEMS_SHOWN ? [`  … ${report.problems.length - PROBLEMS_SHOWN} more`] : []),
    ...report.duplicatedJobs.map((id) => `  job ${id}: duplicated`),
  ].join('\n');
}

function failures({ figures }: ChaosReport): string[] {
  const counts: Array<[string, number]> = [
    ['lost', figures.lost],
    ['misrouted', figures.misrouted],
    ['duplicated', figures.duplicated],
    ['wrong', figures.wrong],
    ['rejected', figures.rejected],
  ];
  return counts.filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}`);
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
