import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '#core/logging/logger.js';
import { lambdaNudge } from '#web/scaling/lambda-nudge.js';

describe('web tier nudges the scaler Lambda (no emulator for Lambda: mocked client)', () => {
  it('invokes the function asynchronously (Event) with a web-tier payload', async () => {
    // Prepare
    const lambda = new LambdaClient({ region: 'us-east-1' });
    const mock = mockClient(lambda);
    mock.on(InvokeCommand).resolves({ StatusCode: 202 });

    // Act
    lambdaNudge(lambda, 'glimpse-prod-scaler', silentLogger()).nudge();
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    const [call] = mock.commandCalls(InvokeCommand);
    expect(call!.args[0].input).toMatchObject({ FunctionName: 'glimpse-prod-scaler', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(call!.args[0].input.Payload as Uint8Array))).toEqual({
      source: 'glimpse.web',
      detail: 'work-arrived',
    });
  });
});
