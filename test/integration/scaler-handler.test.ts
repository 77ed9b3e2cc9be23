import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { PurgeQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { loadScalerConfig } from '#core/config/scaler-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { SCALER_METRICS } from '#core/metrics/metric-names.js';
import { NUDGE_EVENT } from '#core/scaling/scaler-nudge.js';
import { createScalerHandler } from '#lambdas/scaler/scaler-handler.js';
import { createScalerRuntime } from '#lambdas/scaler/scaler-runtime.js';
import { startTestInfrastructure, type TestInfrastructure } from '../support/infrastructure.js';

const quiet = silentLogger();
const context = (remainingMs: () => number) => ({ getRemainingTimeInMillis: remainingMs }) as unknown as Context;

describe('scaler Lambda handler: real queues (emulator), mocked EC2 and CloudWatch', () => {
  let infra: TestInfrastructure;
  const ec2 = new EC2Client({ region: 'us-east-1' });
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
  const ec2Mock = mockClient(ec2);
  const cloudwatchMock = mockClient(cloudwatch);

  beforeAll(async () => {
    infra = await startTestInfrastructure();
  });
  afterAll(() => infra?.stop());
  beforeEach(async () => {
    ec2Mock.reset();
    cloudwatchMock.reset();
    cloudwatchMock.on(PutMetricDataCommand).resolves({});
    await infra.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: infra.queues.requestQueueUrl }));
  });

  /** Ten jobs in the request queue (their bodies do not matter to the scaler). */
  async function queueTenJobs() {
    await infra.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: infra.queues.requestQueueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `{"n":${i}}` })),
      }),
    );
  }

  function handlerFor(env: Record<string, string> = {}) {
    // Prepare: config validated once, as at a cold start, from the env the template sets.
    const config = loadScalerConfig(
      {
        ...infra.env,
        GLIMPSE_LAUNCH_TEMPLATE_ID: 'lt-0123456789abcdef0',
        GLIMPSE_FLEET_NAME: 'it',
        GLIMPSE_SCALER_TICK_SECONDS: '0.2',
        ...env,
      },
      'aws',
    );
    const runtime = createScalerRuntime(config, { ...infra.clients, ec2, cloudwatch }, quiet);
    return createScalerHandler(() => runtime, quiet);
  }

  it('a nudge with 10 queued jobs and no worker launches the first workers in one tick', async () => {
    // Prepare
    await queueTenJobs();
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    ec2Mock.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-0eeeeeeeeeeeeeee1' }] });
    const handler = handlerFor();
    // Act
    const summary = await handler(
      NUDGE_EVENT,
      context(() => 60_000),
    );
    // Assess
    expect(summary.ticks).toBe(1);
    expect(summary.launched).toEqual(['i-0eeeeeeeeeeeeeee1']);
    const run = ec2Mock.commandCalls(RunInstancesCommand)[0]!.args[0].input;
    expect(run).toMatchObject({
      LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '$Latest' },
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'glimpse:fleet', Value: 'it' },
            { Key: 'glimpse:role', Value: 'worker' },
          ],
        },
        {
          ResourceType: 'volume',
          Tags: [
            { Key: 'glimpse:fleet', Value: 'it' },
            { Key: 'glimpse:role', Value: 'worker' },
          ],
        },
      ],
    });
    expect(run.ClientToken).toMatch(/^glimpse-\d+-0-0$/);
    const put = cloudwatchMock.commandCalls(PutMetricDataCommand)[0]!.args[0].input;
    expect(put.Namespace).toBe('Glimpse');
    const byName = new Map(put.MetricData!.map((datum) => [datum.MetricName, datum]));
    expect([...byName.keys()].sort()).toEqual(Object.values(SCALER_METRICS).sort());
    expect(byName.get(SCALER_METRICS.backlog)).toMatchObject({
      Value: 10,
      Unit: 'Count',
      Dimensions: [{ Name: 'Fleet', Value: 'it' }],
    });
    expect(byName.get(SCALER_METRICS.workersLaunched)?.Value).toBe(1);
  });

  it('a scheduled run ticks until close to its timeout, counting pending launches as capacity', async () => {
    // Prepare: ten jobs, and one worker launched a moment ago, pending: enough for them.
    await queueTenJobs();
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [{ InstanceId: 'i-0eeeeeeeeeeeeeee1', State: { Name: 'pending' }, LaunchTime: new Date() }] },
      ],
    });
    let remaining = 3_800;
    const handler = handlerFor();
    // Act: every tick the clock runs down 200 ms.
    const summary = await handler(
      { source: 'aws.events' },
      context(() => (remaining -= 200)),
    );
    // Assess
    expect(summary.ticks).toBeGreaterThan(1);
    expect(summary.launched).toEqual([]);
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(0);
    expect(cloudwatchMock.commandCalls(PutMetricDataCommand)).toHaveLength(summary.ticks);
  });

  it('fails with a named config error when no launch template is configured', async () => {
    // Prepare
    const config = loadScalerConfig({ ...infra.env }, 'aws');
    // Act, Assess
    await expect(createScalerRuntime(config, { ...infra.clients, ec2, cloudwatch }, quiet)).rejects.toMatchObject({
      name: 'ConfigError',
    });
  });
});
