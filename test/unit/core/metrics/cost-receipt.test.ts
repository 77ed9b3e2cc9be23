import { costReceipt } from '#core/metrics/cost-receipt.js';
import { SCALER_METRICS, WORKER_METRICS } from '#core/metrics/metric-names.js';
import { MetricSeries } from '#core/metrics/metric-series.js';

const START = Date.parse('2026-12-01T12:00:00.000Z');
const NOMINAL = { dollarsPerHour: 0.1, basis: 'nominal' } as const;

/** A series on a clock the test moves. */
function seriesAt() {
  const clock = { now: START };
  return { clock, series: new MetricSeries(2_000, () => clock.now) };
}

const fleet = (at: number, workers: number) => ({
  name: SCALER_METRICS.workersInFleet,
  value: workers,
  unit: 'Count' as const,
  at,
});
const classified = (at: number, images: number) => ({
  name: WORKER_METRICS.imagesClassified,
  value: images,
  unit: 'Count' as const,
  at,
});

describe('costReceipt', () => {
  it('before the first tick: no time, no images, no price per image', () => {
    // Prepare
    const { series } = seriesAt();

    // Act
    const receipt = costReceipt(series, NOMINAL);

    // Assess
    expect(receipt).toEqual({
      since: null,
      workerSeconds: 0,
      images: 0,
      dollars: 0,
      dollarsPer1000Images: null,
      dollarsPerWorkerHour: 0.1,
      basis: 'nominal',
    });
  });

  it('counts each tick’s workers until the next tick, the last until now, and prices 1000 images', () => {
    // Prepare: 0 workers for 10 s, 4 for 30 s, 2 for 20 s (the last tick holding until now).
    const { clock, series } = seriesAt();
    series.record([fleet(START, 0), fleet(START + 10_000, 4), fleet(START + 40_000, 2)]);
    series.record([classified(START + 20_000, 300), classified(START + 50_000, 600)]);
    clock.now = START + 60_000;

    // Act
    const receipt = costReceipt(series, { dollarsPerHour: 3.6, basis: 'configured' });

    // Assess: 4 × 30 + 2 × 20 = 160 worker-seconds at $0.001 a second = $0.16 for 900 images.
    expect(receipt.since).toBe('2026-12-01T12:00:00.000Z');
    expect(receipt.workerSeconds).toBe(160);
    expect(receipt.images).toBe(900);
    expect(receipt.dollars).toBeCloseTo(0.16, 10);
    expect(receipt.dollarsPer1000Images).toBeCloseTo(0.16 / 0.9, 10);
    expect(receipt.basis).toBe('configured');
  });

  it('keeps its totals when the kept points roll over', () => {
    // Prepare: a series that keeps only 2 points.
    const clock = { now: START };
    const series = new MetricSeries(2, () => clock.now);
    for (let second = 0; second < 10; second++) series.record([fleet(START + second * 1000, 1), classified(START, 5)]);
    clock.now = START + 10_000;

    // Act
    const receipt = costReceipt(series, NOMINAL);

    // Assess
    expect(series.snapshot()[SCALER_METRICS.workersInFleet]).toHaveLength(2);
    expect([receipt.workerSeconds, receipt.images]).toEqual([10, 50]);
  });

  it('counts a late point (older than the last) in the sum, not in the time', () => {
    // Prepare
    const { clock, series } = seriesAt();
    series.record([fleet(START, 1), fleet(START + 10_000, 1), fleet(START + 5_000, 7)]);
    clock.now = START + 10_000;

    // Act
    const total = series.total(SCALER_METRICS.workersInFleet);

    // Assess
    expect(total).toEqual({ since: START, sum: 9, valueSeconds: 10 });
  });
});
