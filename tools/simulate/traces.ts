/** A workload: arrival times in seconds from the start, sorted. */
export interface Trace {
  readonly name: TraceName;
  readonly description: string;
  readonly arrivals: readonly number[];
}

export const TRACE_NAMES = ['steady', 'burst1000', 'spiky', 'diurnal'] as const;
export type TraceName = (typeof TRACE_NAMES)[number];

/** Mulberry32: a small seeded PRNG, so every run of the simulator repeats. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson arrivals with a time-varying rate (per second), by thinning. */
function poisson(
  rate: (t: number) => number,
  maxRate: number,
  durationSeconds: number,
  random: () => number,
): number[] {
  const arrivals: number[] = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - random()) / maxRate;
    if (t >= durationSeconds) return arrivals;
    if (random() < rate(t) / maxRate) arrivals.push(t);
  }
}

/** Builds a trace from its name; the same seed gives the same arrivals. */
export function buildTrace(name: TraceName, seed: number): Trace {
  const random = seededRandom(seed);
  switch (name) {
    case 'steady':
      return { name, description: '5 requests/s (Poisson) for 10 minutes', arrivals: poisson(() => 5, 5, 600, random) };
    case 'burst1000':
      // The CSE546 workload: 1000 requests sent at once (within a second).
      return {
        name,
        description: '1000 requests within one second, then nothing',
        arrivals: Array.from({ length: 1000 }, () => random()).sort((a, b) => a - b),
      };
    case 'spiky': {
      const base = poisson(() => 0.5, 0.5, 900, random);
      const spikes = [60, 360, 660].flatMap((start) => Array.from({ length: 200 }, () => start + random() * 5));
      return {
        name,
        description: '0.5 requests/s plus spikes of 200 at 1, 6 and 11 minutes (15 minutes)',
        arrivals: [...base, ...spikes].sort((a, b) => a - b),
      };
    }
    case 'diurnal': {
      const period = 1800;
      const rate = (t: number) => 4 * (1 - Math.cos((2 * Math.PI * t) / period)) + 0.1;
      return {
        name,
        description: 'a compressed day: 0.1 to 8 requests/s and back over 30 minutes',
        arrivals: poisson(rate, 8.1, period, random),
      };
    }
  }
}
