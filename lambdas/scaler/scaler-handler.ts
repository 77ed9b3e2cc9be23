import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import { NUDGE_EVENT } from '#core/scaling/scaler-nudge.js';
import { runControlLoop, type ControlLoopSummary } from './control-loop.js';
import type { ScalerRuntime } from './scaler-runtime.js';

/** What invokes the scaler: the EventBridge schedule, or a web tier's nudge. */
export interface ScalerEvent {
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: unknown;
}

/** Once per scheduled invocation: deletes the response queues of crashed web processes; never fails the run. */
async function sweepAbandonedResponseQueues(runtime: ScalerRuntime, log: Logger): Promise<void> {
  try {
    const { deleted, failed } = await runtime.sweepResponseQueues();
    if (deleted.length > 0 || failed.length > 0) log.info({ deleted, failed }, 'abandoned response queues swept');
  } catch (error) {
    log.warn({ error: describeError(error) }, 'response-queue sweep failed');
  }
}

/** Stop ticking this long before the Lambda timeout. */
const SAFETY_MS = 3_000;

/**
 * The scaler Lambda handler, thin: the runtime (config validated once, clients, scaler) comes from
 * `getRuntime`, built once per container; the handler only runs the loop.
 */
export function createScalerHandler(getRuntime: () => Promise<ScalerRuntime>, log: Logger) {
  return middy<ScalerEvent, ControlLoopSummary, Error, Context>().handler(async (event, context) => {
    const runtime = await getRuntime();
    const nudged = event?.source === NUDGE_EVENT.source;
    if (!nudged) await sweepAbandonedResponseQueues(runtime, log);
    const summary = await runControlLoop(runtime.scaler, {
      remainingMs: nudged ? () => 0 : () => context.getRemainingTimeInMillis(),
      tickMs: runtime.tickMs,
      safetyMs: SAFETY_MS,
      flush: () => runtime.metrics.flush(),
      // Every tick: a job in the dead-letter queue waits for an answer (see DeadLetterSettler).
      afterTick: async () => {
        await runtime.settleDeadLetters();
      },
      log,
    });
    log.info({ nudged, ...summary }, 'scaler invocation done');
    return summary;
  });
}
