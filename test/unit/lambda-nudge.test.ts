import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createLogger } from '#core/logging/logger.js';
import { throttledNudge } from '#core/scaling/scaler-nudge.js';
import { NUDGE_INTERVAL_MS } from '#core/scaling/scaler-nudge.js';
import { lambdaNudge } from '#web/scaling/lambda-nudge.js';

describe('web tier nudges the scaler Lambda (no emulator for Lambda: mocked client)', () => {
  it('invokes the function asynchronously (Event) with a web-tier payload', async () => {
    const lambda = new LambdaClient({ region: 'us-east-1' });
    const mock = mockClient(lambda);
    mock.on(InvokeCommand).resolves({ StatusCode: 202 });
    lambdaNudge(
      lambda,
      'glimpse-prod-scaler',
      createLogger('test', () => undefined),
    ).nudge();
    await new Promise((resolve) => setImmediate(resolve));
    const [call] = mock.commandCalls(InvokeCommand);
    expect(call!.args[0].input).toMatchObject({ FunctionName: 'glimpse-prod-scaler', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(call!.args[0].input.Payload as Uint8Array))).toEqual({
      source: 'glimpse.web',
      detail: 'work-arrived',
    });
  });

  it('passes at most one nudge per interval', () => {
    let now = 0;
    let calls = 0;
    const nudge = throttledNudge(
      () => calls++,
      NUDGE_INTERVAL_MS,
      () => now,
    );
    nudge.nudge();
    nudge.nudge();
    now += NUDGE_INTERVAL_MS - 1;
    nudge.nudge();
    now += 1;
    nudge.nudge();
    expect(calls).toBe(2);
  });
});
