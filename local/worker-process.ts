import { existsSync } from 'node:fs';
import type { Env } from '#core/config/env-schema.js';

/**
 * V8 flags of every worker process. The young generation is capped at 16 MiB a semi-space: left to
 * itself V8 doubles it once under a burst, a one-time step of about 64 MiB that takes a worker from
 * ~300 to ~400 MiB RSS (measured: bench --burst 3000 --burst-concurrency 200, peak 390 → 300 MiB,
 * worker CPU per image unchanged). The AMI's unit (packer/files/glimpse-worker.service) runs the same.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];

/** Where Debian and Ubuntu's libjemalloc2 puts the library. */
export const JEMALLOC_PATHS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
];

/**
 * The allocator of a worker process: jemalloc where it is installed, as sharp advises for long-running
 * processes on glibc (glibc's per-thread arenas keep what libvips' threads freed, so a worker's RSS
 * creeps up to a high-water mark; with jemalloc it stays within a few percent over a 3000-upload
 * burst). An `LD_PRELOAD` the caller set (even empty) is kept as it is.
 */
export function workerAllocatorEnv(env: Env, exists: (path: string) => boolean = existsSync): Env {
  if (env.LD_PRELOAD !== undefined) return {};
  const library = JEMALLOC_PATHS.find((path) => exists(path));
  return library ? { LD_PRELOAD: library } : {};
}
