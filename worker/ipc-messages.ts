import { z } from 'zod';
import type { MetricDatum } from '#core/metrics/metrics-sink.js';

/** One measurement as it crosses the IPC channel: core's {@link MetricDatum}, checked against it. */
const metricDatumSchema = z.object({
  name: z.string(),
  value: z.number(),
  unit: z.enum(['Count', 'Milliseconds', 'None']),
  at: z.number().optional(),
}) satisfies z.ZodType<MetricDatum>;

/**
 * What a worker spawned by the local fleet tells its parent over the IPC channel: that it polls
 * now (`ready`), the metrics of its batches (`metrics`), and the receipt handles of the jobs it
 * holds (`holding` when a batch starts, `released` when it ends), so that the fleet can make a dead
 * worker's jobs visible at once. The worker sends, the fleet parses.
 */
const workerIpcMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), workerId: z.string() }),
  z.object({ type: z.literal('metrics'), workerId: z.string(), data: z.array(metricDatumSchema) }),
  z.object({ type: z.literal('holding'), receipts: z.array(z.string()) }),
  z.object({ type: z.literal('released'), receipts: z.array(z.string()) }),
]);
export type WorkerIpcMessage = z.infer<typeof workerIpcMessageSchema>;

/** The message, or undefined when the value is not one a worker sends. */
export function parseWorkerIpcMessage(value: unknown): WorkerIpcMessage | undefined {
  const parsed = workerIpcMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Whether this worker was spawned with an IPC channel, i.e. by the local fleet. */
export function connectedToFleet(): boolean {
  return process.send !== undefined;
}

/**
 * Sends a message to the process that spawned this worker. Without an IPC channel, or once the
 * parent is gone (it exited abruptly; the worker is stopping on `disconnect`), nothing happens: a
 * send on a closed channel would otherwise be an uncaught ERR_IPC_CHANNEL_CLOSED.
 */
export function sendToFleet(message: WorkerIpcMessage): void {
  if (!process.connected) return;
  process.send?.(message, undefined, undefined, () => undefined);
}
