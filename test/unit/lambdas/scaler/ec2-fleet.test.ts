import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '#core/logging/logger.js';
import { NoCapacityError } from '#lambdas/errors.js';
import { Ec2Fleet } from '#lambdas/scaler/ec2-fleet.js';

const config = {
  launchTemplateId: 'lt-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-b'],
  instanceTypes: ['g4dn.xlarge', 'g5.xlarge'],
  useSpot: true,
};
const quiet = silentLogger();
/** An error as the SDK throws it for an EC2 error code. */
const ec2Error = (name: string) => Object.assign(new Error(name), { name });

describe('Ec2Fleet (EC2 has no emulator: exact commands against a mocked client)', () => {
  const ec2 = new EC2Client({ region: 'us-east-1' });
  const mock = mockClient(ec2);
  beforeEach(() => mock.reset());

  it('lists only pending and running instances tagged as this fleet’s workers', async () => {
    // Prepare
    mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: 'i-0aaaaaaaaaaaaaaa1', State: { Name: 'pending' }, LaunchTime: new Date(1000) },
            { InstanceId: 'i-0aaaaaaaaaaaaaaa2', State: { Name: 'running' }, LaunchTime: new Date(2000) },
          ],
        },
      ],
    });
    // Act
    const workers = await new Ec2Fleet(ec2, config, 'prod', quiet).list();
    // Assess
    expect(workers).toEqual([
      { id: 'i-0aaaaaaaaaaaaaaa1', state: 'pending', launchedAt: 1000 },
      { id: 'i-0aaaaaaaaaaaaaaa2', state: 'running', launchedAt: 2000 },
    ]);
    expect(mock.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:glimpse:fleet', Values: ['prod'] },
      { Name: 'tag:glimpse:role', Values: ['worker'] },
      { Name: 'instance-state-name', Values: ['pending', 'running'] },
    ]);
  });

  it('launches Spot from the launch template with our tags and an idempotency token', async () => {
    // Prepare
    mock
      .on(RunInstancesCommand)
      .resolves({ Instances: [{ InstanceId: 'i-0bbbbbbbbbbbbbbb1' }, { InstanceId: 'i-0bbbbbbbbbbbbbbb2' }] });
    // Act
    const ids = await new Ec2Fleet(ec2, config, 'prod', quiet).launch(2, 'glimpse-42-2-0');
    // Assess
    expect(ids).toEqual(['i-0bbbbbbbbbbbbbbb1', 'i-0bbbbbbbbbbbbbbb2']);
    const tags = [
      { Key: 'glimpse:fleet', Value: 'prod' },
      { Key: 'glimpse:role', Value: 'worker' },
    ];
    expect(mock.commandCalls(RunInstancesCommand)[0]!.args[0].input).toEqual({
      LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '$Latest' },
      MinCount: 1,
      MaxCount: 2,
      SubnetId: 'subnet-a',
      InstanceType: 'g4dn.xlarge',
      ClientToken: 'glimpse-42-2-0-0',
      InstanceMarketOptions: {
        MarketType: 'spot',
        SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' },
      },
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ],
    });
  });

  it('falls back from Spot to on-demand when Spot capacity is short', async () => {
    // Prepare
    mock
      .on(RunInstancesCommand)
      .rejectsOnce(ec2Error('InsufficientInstanceCapacity'))
      .rejectsOnce(ec2Error('SpotMaxPriceTooLow'))
      .resolves({ Instances: [{ InstanceId: 'i-0ccccccccccccccc1' }] });
    // Act
    const ids = await new Ec2Fleet(ec2, config, 'prod', quiet).launch(1, 't');
    // Assess
    expect(ids).toEqual(['i-0ccccccccccccccc1']);
    const calls = mock.commandCalls(RunInstancesCommand).map((call) => call.args[0].input);
    expect(
      calls.map((input) => [
        input.InstanceMarketOptions?.MarketType ?? 'on-demand',
        input.InstanceType,
        input.ClientToken,
      ]),
    ).toEqual([
      ['spot', 'g4dn.xlarge', 't-0'],
      ['spot', 'g5.xlarge', 't-1'],
      ['on-demand', 'g4dn.xlarge', 't-2'],
    ]);
  });

  it('without Spot launches on-demand only, each launch in the next subnet', async () => {
    // Prepare
    mock.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-0eeeeeeeeeeeeeee1' }] });
    const fleet = new Ec2Fleet(ec2, { ...config, useSpot: false }, 'prod', quiet);
    // Act
    for (const window of [1, 2, 3]) await fleet.launch(1, `glimpse-${window}-0-0`);
    // Assess
    const calls = mock.commandCalls(RunInstancesCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => [input.SubnetId, input.InstanceType, input.InstanceMarketOptions])).toEqual([
      ['subnet-a', 'g4dn.xlarge', undefined],
      ['subnet-b', 'g4dn.xlarge', undefined],
      ['subnet-a', 'g4dn.xlarge', undefined],
    ]);
  });

  it('reports when no option has capacity, naming each refusal', async () => {
    // Prepare
    mock.on(RunInstancesCommand).rejects(ec2Error('InsufficientInstanceCapacity'));
    // Act
    const refused = new Ec2Fleet(ec2, config, 'prod', quiet).launch(1, 't');
    // Assess
    await expect(refused).rejects.toThrow(NoCapacityError);
    await expect(refused).rejects.toMatchObject({
      count: 1,
      refusals: [
        'spot g4dn.xlarge: InsufficientInstanceCapacity',
        'spot g5.xlarge: InsufficientInstanceCapacity',
        'on-demand g4dn.xlarge: InsufficientInstanceCapacity',
        'on-demand g5.xlarge: InsufficientInstanceCapacity',
      ],
    });
    expect(mock.commandCalls(RunInstancesCommand)).toHaveLength(4);
  });

  it('does not try other options after an error that is not about capacity', async () => {
    // Prepare
    mock.on(RunInstancesCommand).rejects(ec2Error('UnauthorizedOperation'));
    // Act
    const refused = new Ec2Fleet(ec2, config, 'prod', quiet).launch(1, 't');
    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect(mock.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  it('treats a token another scaler run already used in this window as launched, not as an error', async () => {
    // Prepare
    mock.on(RunInstancesCommand).rejects(ec2Error('IdempotentParameterMismatch'));
    // Act
    const launched = await new Ec2Fleet(ec2, config, 'prod', quiet).launch(3, 't');
    // Assess
    expect(launched).toEqual([]);
    expect(mock.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  it('terminates only instances that are this fleet’s workers', async () => {
    // Prepare
    mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-0ddddddddddddddd1', State: { Name: 'running' } }] }],
    });
    mock.on(TerminateInstancesCommand).resolves({});
    // Act
    await new Ec2Fleet(ec2, config, 'prod', quiet).terminate(['i-0ddddddddddddddd1', 'i-0someone0else0001']);
    // Assess
    expect(mock.commandCalls(TerminateInstancesCommand).map((call) => call.args[0].input)).toEqual([
      { InstanceIds: ['i-0ddddddddddddddd1'] },
    ]);
  });
});
