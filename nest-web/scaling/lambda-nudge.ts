import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';
import { NUDGE_EVENT, NUDGE_INTERVAL_MS, throttledNudge, type ScalerNudge } from '#core/scaling/scaler-nudge.js';

/**
 * Nudges the scaler Lambda with an asynchronous invoke (InvocationType Event: no wait, no result),
 * at most four times a second per web process. A failed nudge only costs the wait for the next scheduled run.
 */
export function lambdaNudge(lambda: LambdaClient, functionName: string, log: Logger): ScalerNudge {
  return throttledNudge(() => {
    lambda
      .send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(NUDGE_EVENT)),
        }),
      )
      .catch((error: unknown) => log.warn({ error: describeError(error), functionName }, 'scaler nudge failed'));
  }, NUDGE_INTERVAL_MS);
}
