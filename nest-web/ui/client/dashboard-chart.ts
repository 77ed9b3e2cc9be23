import type UPlot from 'uplot';

/** uPlot, loaded by the page as a plain script (its IIFE build, served from node_modules/uplot/dist). */
const uPlotClass = (globalThis as unknown as { uPlot: typeof UPlot }).uPlot;

/** One line of a chart. */
export interface Line {
  readonly label: string;
  readonly stroke: string;
}

/** A time-series chart of a few lines over the same x values, redrawn with each poll. */
export class Chart {
  private readonly plot: UPlot;

  constructor(target: HTMLElement, lines: readonly Line[]) {
    const options: UPlot.Options = {
      width: Math.max(320, target.clientWidth || 520),
      height: 220,
      scales: { x: { time: true } },
      series: [{}, ...lines.map(({ label, stroke }) => ({ label, stroke, width: 2, spanGaps: true }))],
    };
    this.plot = new uPlotClass(options, [[], ...lines.map(() => [])], target);
  }

  /** New data: epoch seconds, and one value (or gap) per x for each line, in the lines' order. */
  update(x: number[], lines: ReadonlyArray<Array<number | null>>): void {
    this.plot.setData([x, ...lines]);
  }
}
