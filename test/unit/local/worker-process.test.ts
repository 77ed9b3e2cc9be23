import { JEMALLOC_PATHS, workerAllocatorEnv } from '#local/worker-process.js';

describe('workerAllocatorEnv', () => {
  const installed = (path: string) => path === JEMALLOC_PATHS[0];

  it.each([
    ['jemalloc installed: preloads it', {}, installed, { LD_PRELOAD: JEMALLOC_PATHS[0] }],
    ['jemalloc missing: glibc as it is', {}, () => false, {}],
    ['the caller chose a preload: kept', { LD_PRELOAD: '/opt/other.so' }, installed, {}],
    ['the caller chose none (empty): kept', { LD_PRELOAD: '' }, installed, {}],
  ])('%s', (_case, env, exists, expected) => {
    expect(workerAllocatorEnv(env, exists)).toEqual(expected);
  });
});
