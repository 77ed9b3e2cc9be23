/**
 * V8 flags of every worker process (the AMI's unit, packer/files/glimpse-worker.service, runs the
 * same), measured with `npm run bench -- --skip bare,e2e,one-client,cold --burst 3000
 * --burst-concurrency 200` (docs/performance.md, "Memory under a sustained burst"):
 * - `--max-semi-space-size=16`: left to itself V8 doubles the young generation once under a burst,
 *   a one-time step of about 64 MiB (peak 390 → 300 MiB, CPU per image unchanged).
 * - `--heap-growing-percent=50`: the old generation may grow by half its live size between full
 *   collections instead of V8's default of up to several times. A worker's garbage is mostly
 *   promoted image buffers, so with the default its RSS swung by ±30 MiB over tens of seconds; with
 *   the flag it stays within a few percent, peak about 330 → 280 MiB, images/s unchanged.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--heap-growing-percent=50'];
