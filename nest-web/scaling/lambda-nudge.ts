import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Log } from '#core/logging/logger.js';
import { NUDGE_INTERVAL_MS, throttledNudge, type ScalerNudge } from '#core/scaling/scaler-nudge.js';

/**
 * Nudges the scaler Lambda with an asynchronous invoke (InvocationType Event: no wait, no result),
 * at most four times a second per web process. A failed nudge only costs the wait for the next scheduled run.
 */
export function lambdaNudge(lambda: LambdaClient, functionName: string, log: Log): ScalerNudge {
  return throttledNudge(() => {
    lambda
      .send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify({ source: 'glimpse.web', detail: 'work-arrived' })),
        }),
      )
      .catch((error: Error) => log('scaler nudge failed', { error: error.message }));
  }, NUDGE_INTERVAL_MS);
}
