import { z } from 'zod';

/** A worker's last sign of life, stored in the output bucket under heartbeats/. */
export const heartbeatSchema = z.object({
  workerId: z.string(),
  /** Epoch ms the worker started. */
  startedAt: z.number(),
  /** Epoch ms of this heartbeat. */
  at: z.number(),
  /** Images finished (done or failed) since start. */
  imagesClassified: z.number().int().min(0),
  /** Milliseconds spent working on batches since start. */
  busyMs: z.number().min(0),
  /** True in the last heartbeat of a worker that stopped. */
  stopped: z.boolean(),
  /** True once the worker drains (a Spot interruption notice): it receives nothing more and leaves. */
  draining: z.boolean().optional(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;
