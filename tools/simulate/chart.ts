import type { PolicySummary } from './compare.js';

const COLOURS = ['#2f6fed', '#d9480f', '#2b8a3e', '#862e9c'];

/** An SVG chart of backlog (top) and workers (bottom) over time, one line per policy (first run). */
export function renderChart(title: string, summaries: readonly PolicySummary[]): string {
  const width = 900;
  const panel = 220;
  const left = 60;
  const plotWidth = width - left - 20;
  const end = Math.max(...summaries.flatMap((s) => s.sample.timeline.map((p) => p.at)), 1);
  const maxBacklog = Math.max(...summaries.flatMap((s) => s.sample.timeline.map((p) => p.backlog)), 1);
  const maxWorkers = Math.max(...summaries.flatMap((s) => s.sample.timeline.map((p) => p.workers)), 1);
  const x = (t: number) => left + (t / end) * plotWidth;
  const line = (
    top: number,
    max: number,
    pick: (p: { backlog: number; workers: number }) => number,
    points: PolicySummary['sample']['timeline'],
  ) =>
    points
      .map(
        (p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${(top + panel - (pick(p) / max) * panel).toFixed(1)}`,
      )
      .join(' ');
  const axes = (top: number, label: string, max: number) =>
    `<line x1="${left}" y1="${top + panel}" x2="${width - 20}" y2="${top + panel}" stroke="#888"/>` +
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + panel}" stroke="#888"/>` +
    `<text x="8" y="${top + 12}" font-size="12">${label}</text>` +
    `<text x="${left - 6}" y="${top + 10}" font-size="11" text-anchor="end">${Math.round(max)}</text>` +
    `<text x="${left - 6}" y="${top + panel}" font-size="11" text-anchor="end">0</text>`;
  const series = summaries
    .map((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      return (
        `<path d="${line(40, maxBacklog, (p) => p.backlog, s.sample.timeline)}" fill="none" stroke="${colour}" stroke-width="1.5"/>` +
        `<path d="${line(300, maxWorkers, (p) => p.workers, s.sample.timeline)}" fill="none" stroke="${colour}" stroke-width="1.5"/>` +
        `<text x="${left + 10 + i * 200}" y="${570}" font-size="13" fill="${colour}">■ ${s.policy}</text>`
      );
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="590" viewBox="0 0 ${width} 590" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${left}" y="24" font-size="15" font-weight="bold">${title}</text>
${axes(40, 'backlog', maxBacklog)}
${axes(300, 'workers', maxWorkers)}
<text x="${width - 20}" y="${300 + panel + 16}" font-size="11" text-anchor="end">${Math.round(end)} s</text>
${series}
</svg>
`;
}
