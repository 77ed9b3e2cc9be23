import { estimateArrivals, measuredWorkerThroughput } from '#core/scaling/estimates.js';

const beat = (imagesClassified: number, busyMs: number) => ({
  workerId: 'w',
  startedAt: 0,
  at: 0,
  imagesClassified,
  busyMs,
  stopped: false,
});

describe('estimateArrivals', () => {
  it.each([
    ['first observation: no rate yet', undefined, { at: 1000, backlog: 10, completed: 0 }, undefined],
    [
      'backlog grew by 20 in 2 s, nothing finished: 10/s',
      { at: 0, backlog: 0, completed: 0 },
      { at: 2000, backlog: 20, completed: 0 },
      10,
    ],
    [
      'backlog flat while 30 finished in 3 s: 10/s',
      { at: 0, backlog: 5, completed: 100 },
      { at: 3000, backlog: 5, completed: 130 },
      10,
    ],
    [
      'backlog drained faster than it filled: never negative',
      { at: 0, backlog: 50, completed: 0 },
      { at: 1000, backlog: 0, completed: 10 },
      0,
    ],
    [
      'smoothed with the previous rate',
      { at: 0, backlog: 0, completed: 0, arrivalsPerSecond: 20 },
      { at: 1000, backlog: 10, completed: 0 },
      15,
    ],
  ])('%s', (_name, previous, observation, expected) => {
    expect(estimateArrivals(previous, observation).arrivalsPerSecond).toBe(expected);
  });
});

describe('measuredWorkerThroughput', () => {
  it('divides images by busy seconds across workers, ignoring barely-measured ones', () => {
    expect(measuredWorkerThroughput([beat(100, 10_000), beat(300, 10_000), beat(5, 500)])).toBe(20);
    expect(measuredWorkerThroughput([beat(5, 500)])).toBeUndefined();
    expect(measuredWorkerThroughput([])).toBeUndefined();
  });
});
