import { logger as vegaLogger, parse, View, Warn, type LoggerInterface } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { silentLogger, type Logger } from '#core/logging/logger.js';
import { ChartError } from '../errors.js';
import type { PolicySummary } from './compare.js';
import type { PolicyName } from './policies.js';

interface LineStyle {
  readonly colour: string;
  /** SVG stroke-dasharray: dash and gap lengths in pixels. */
  readonly dash: number[];
  readonly width: number;
}

/**
 * Each policy keeps its look on every chart. Glimpse, the subject, is wide and solid, and drawn
 * first: a peer that coincides with it (greedy-per-4 on a burst) shows as dashes along it.
 */
const POLICY_STYLES: Record<PolicyName, LineStyle> = {
  glimpse: { colour: '#2f6fed', dash: [1, 0], width: 4 },
  'greedy-per-4': { colour: '#d9480f', dash: [6, 3], width: 1.8 },
  'cloudwatch-alarm': { colour: '#2b8a3e', dash: [2, 2], width: 1.8 },
  keda: { colour: '#862e9c', dash: [8, 3, 2, 3], width: 1.8 },
};

/** One of the stacked views of a vertical concatenation. */
type PanelSpec = Extract<TopLevelSpec, { vconcat: unknown }>['vconcat'][number];

/** One measure over time, one line per policy. */
interface Panel {
  readonly field: 'backlog' | 'workers';
  /** The axis title, with its unit. */
  readonly title: string;
}

const PANELS: readonly Panel[] = [
  { field: 'backlog', title: 'backlog (requests)' },
  { field: 'workers', title: 'workers (booting + running)' },
];

/** An SVG chart of backlog (top) and workers (bottom) over time, one line per policy (first run). */
export async function renderChart(
  title: string,
  summaries: readonly PolicySummary[],
  log: Logger = silentLogger(),
): Promise<string> {
  const logger = forwardTo(log.child({ chart: title }));
  try {
    const { spec } = compile(chartSpec(title, summaries), { logger });
    return await new View(parse(spec), { renderer: 'none', logger }).toSVG();
  } catch (error) {
    throw new ChartError(`could not render the chart "${title}"`, { cause: error });
  }
}

/** The Vega-Lite spec: the panels stacked on one time axis, one legend for colour, dash and width. */
function chartSpec(title: string, summaries: readonly PolicySummary[]): TopLevelSpec {
  const policies = summaries
    .map((summary) => summary.policy)
    .sort((a, b) => POLICY_STYLES[b].width - POLICY_STYLES[a].width);
  const values = policies.flatMap((policy) =>
    summaries
      .find((summary) => summary.policy === policy)!
      .sample.timeline.map((point) => ({ policy, at: point.at, backlog: point.backlog, workers: point.workers })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    data: { values },
    vconcat: PANELS.map((panel) => panelSpec(panel, policies)),
    config: { font: 'sans-serif', legend: { orient: 'bottom', symbolSize: 300 } },
  };
}

function panelSpec(panel: Panel, policies: readonly PolicyName[]): PanelSpec {
  const styleScale = (pick: (style: LineStyle) => unknown) => ({
    field: 'policy',
    type: 'ordinal' as const,
    title: 'policy',
    sort: [...policies],
    scale: {
      type: 'ordinal' as const,
      domain: [...policies],
      range: policies.map((policy) => pick(POLICY_STYLES[policy])),
    },
  });
  return {
    width: 820,
    height: 200,
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: 'at', type: 'quantitative', title: 'time (s)', scale: { domainMin: 0, nice: false } },
      y: { field: panel.field, type: 'quantitative', title: panel.title },
      color: styleScale((style) => style.colour),
      strokeDash: styleScale((style) => style.dash),
      strokeWidth: styleScale((style) => style.width),
    },
  };
}

/** Vega's and Vega-Lite's warnings as pino records. */
function forwardTo(log: Logger): LoggerInterface {
  return vegaLogger(Warn, undefined, (_method, level, args) => {
    const message = args.map(String).join(' ');
    if (level === 'ERROR') log.error(message);
    else if (level === 'WARN') log.warn(message);
    else log.debug(message);
  });
}
