import type { BareFigures, BareRun } from '#tools/bench/bare.js';
import type { BenchReport } from '#tools/bench/bench-report.js';
import { assembleReport } from '#tools/bench/bench-report.js';
import { parseBenchOptions } from '#tools/bench/bench-options.js';
import type { ColdFigures, StackPhase } from '#tools/bench/stack-phases.js';
import type { AnswerCheck } from '#tools/bench/summary.js';

/** Figures of a run in which every answer was right, for the report tests. */
export const allAgree: AnswerCheck = {
  answers: 100,
  errors: 0,
  errorStatuses: {},
  misnamed: 0,
  checked: 100,
  agreementPct: 100,
  accuracyPct: 85.5,
  disagreements: [],
};

export function bareRun(intraOpThreads: number, imagesPerSecond: number, p50Ms: number): BareRun {
  return {
    ...allAgree,
    intraOpThreads,
    batch: 8,
    executionProvider: 'cpu',
    imagesPerSecond,
    cpuMsPerImage: 13.5,
    latency: { images: 100, seconds: 1.1, imagesPerSecond: 90, p50Ms, p95Ms: p50Ms + 2 },
  };
}

export function bare(): BareFigures {
  const [fast, quick] = [bareRun(2, 150, 12), bareRun(1, 120, 10.8)];
  return { runs: [fast, quick], fastest: fast, quickest: quick };
}

export function stackPhase(fields: Partial<StackPhase> = {}): StackPhase {
  return {
    ...allAgree,
    images: 600,
    seconds: 10,
    imagesPerSecond: 60,
    p50Ms: 900,
    p95Ms: 1200,
    concurrency: 64,
    cpuMsPerImage: {
      stack: 12,
      workers: [
        { pid: 101, ms: 9.5 },
        { pid: 102, ms: 9.5 },
      ],
      workersSum: 19,
      total: 31,
    },
    ...fields,
  };
}

export const cold: ColdFigures = { ...allAgree, answers: 1, checked: 1, ms: 1450 };

export function report(sections: Partial<BenchReport> = {}): BenchReport {
  return assembleReport(
    {
      startedAt: '2026-01-01T00:00:00.000Z',
      machine: { cpus: 2, cpuModel: 'Xeon', memoryGiB: 8, node: 'v24.21.0', platform: 'linux x64' },
      options: parseBenchOptions([], 2),
      profiles: [],
    },
    sections,
  );
}
