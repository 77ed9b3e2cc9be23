import { percentile } from '../shared/percentile.js';
import type { Answer } from './classify-request.js';

/** What the load client prints, and whether the run passed: every upload answered with its own image. */
export interface LoadReport {
  readonly ok: boolean;
  readonly text: string;
}

export function summarise(answers: readonly Answer[], seconds: number, expected?: Map<string, string>): LoadReport {
  const answered = answers.filter((a) => a.status === 200);
  const misrouted = answered.filter((a) => !a.namesOwnImage);
  const latencies = answers.map((a) => a.ms);
  const lines = [
    `requests          ${answers.length} in ${seconds.toFixed(1)} s: ${(answers.length / seconds).toFixed(1)} images/s`,
    `answered (200)    ${answered.length}`,
    `named own image   ${answered.length - misrouted.length}/${answered.length}${misrouted.length ? `  MISROUTED: ${misrouted.map((a) => a.filename).join(', ')}` : ''}`,
    ...statusLines(answers),
    `latency ms        p50 ${percentile(latencies, 50).toFixed(0)}  p90 ${percentile(latencies, 90).toFixed(0)}  ` +
      `p95 ${percentile(latencies, 95).toFixed(0)}  p99 ${percentile(latencies, 99).toFixed(0)}  max ${Math.max(...latencies).toFixed(0)}`,
  ];
  if (expected) lines.push(labelLine(answered, expected));
  return { ok: misrouted.length === 0 && answered.length === answers.length, text: lines.join('\n') };
}

/** One line per status other than 200, with its count (0: no answer at all). */
function statusLines(answers: readonly Answer[]): string[] {
  const byStatus = new Map<number, number>();
  for (const answer of answers.filter((a) => a.status !== 200))
    byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
  return [...byStatus.entries()].map(
    ([status, count]) => `status ${status === 0 ? 'network error' : status}  ${count}`,
  );
}

function labelLine(answered: readonly Answer[], expected: Map<string, string>): string {
  const checked = answered.filter((a) => expected.has(a.filename));
  const right = checked.filter((a) => a.label === expected.get(a.filename));
  return `labels correct    ${right.length}/${checked.length} (${((100 * right.length) / Math.max(1, checked.length)).toFixed(1)}%)`;
}
