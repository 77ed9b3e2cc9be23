import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import type { Ec2FleetConfig } from '#core/config/scaler-config.js';
import type { Fleet } from '#core/fleet/fleet.js';
import { FLEET_TAG_KEYS, WORKER_ROLE, workerTags } from '#core/fleet/fleet-tags.js';
import type { Logger } from '#core/logging/logger.js';
import type { WorkerView } from '#core/scaling/scaling-types.js';
import { NoCapacityError } from '../errors.js';

/** RunInstances errors that mean "no capacity of this kind here now": try the next option. */
const CAPACITY_ERRORS = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientCapacity',
  'InsufficientHostCapacity',
  'SpotMaxPriceTooLow',
  'MaxSpotInstanceCountExceeded',
  'InsufficientCapacityOnHost',
]);

/**
 * Workers as EC2 instances from the worker launch template. Launches carry our tags and an
 * idempotency token; Spot is tried first, then on-demand, over the configured instance types.
 * Listing and termination only ever see instances tagged as this fleet's workers.
 */
export class Ec2Fleet implements Fleet {
  private launches = 0;

  constructor(
    private readonly ec2: EC2Client,
    private readonly config: Ec2FleetConfig,
    private readonly fleetName: string,
    private readonly log: Logger,
  ) {}

  async list(): Promise<WorkerView[]> {
    const workers: WorkerView[] = [];
    let token: string | undefined;
    do {
      const page = await this.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: `tag:${FLEET_TAG_KEYS.fleet}`, Values: [this.fleetName] },
            { Name: `tag:${FLEET_TAG_KEYS.role}`, Values: [WORKER_ROLE] },
            { Name: 'instance-state-name', Values: ['pending', 'running'] },
          ],
          NextToken: token,
        }),
      );
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          if (!instance.InstanceId) continue;
          workers.push({
            id: instance.InstanceId,
            state: instance.State?.Name === 'pending' ? 'pending' : 'running',
            launchedAt: instance.LaunchTime?.getTime() ?? Date.now(),
          });
        }
      }
      token = page.NextToken;
    } while (token);
    return workers;
  }

  async launch(count: number, token: string): Promise<string[]> {
    if (count <= 0) return [];
    const base = this.launchTemplateInput(count);
    const refusals: string[] = [];
    for (const [index, option] of this.launchOptions().entries()) {
      try {
        const { Instances } = await this.ec2.send(
          // Same token, same instances: a retried tick never launches twice.
          new RunInstancesCommand({ ...base, ...marketInput(option), ClientToken: `${token}-${index}`.slice(0, 64) }),
        );
        const ids = (Instances ?? []).map((instance) => instance.InstanceId).filter((id) => id !== undefined);
        this.log.info({ ids, market: option.market, instanceType: option.instanceType }, 'launched workers');
        return ids;
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (name === 'IdempotentParameterMismatch') {
          // Another scaler run used this token in the same tick window: it launched for both.
          this.log.info({ token }, 'a concurrent scaler run launched for this window; not launching again');
          return [];
        }
        if (!CAPACITY_ERRORS.has(name)) throw error;
        refusals.push(`${option.market} ${option.instanceType}: ${name}`);
        this.log.warn(
          { market: option.market, instanceType: option.instanceType, error: name },
          'no capacity; trying the next option',
        );
      }
    }
    throw new NoCapacityError(count, refusals);
  }

  async terminate(ids: readonly string[]): Promise<void> {
    const ours = new Set((await this.list()).map((worker) => worker.id));
    const targets = ids.filter((id) => ours.has(id));
    if (targets.length === 0) return;
    await this.ec2.send(new TerminateInstancesCommand({ InstanceIds: targets }));
  }

  /** What every launch option shares: the template, the count, the next subnet, our tags. */
  private launchTemplateInput(count: number): RunInstancesCommandInput {
    const subnetIds = this.config.subnetIds;
    const subnet = subnetIds.length > 0 ? subnetIds[this.launches++ % subnetIds.length] : undefined;
    const tags = Object.entries(workerTags(this.fleetName)).map(([Key, Value]) => ({ Key, Value }));
    return {
      LaunchTemplate: { LaunchTemplateId: this.config.launchTemplateId, Version: '$Latest' },
      MinCount: 1,
      MaxCount: count,
      ...(subnet ? { SubnetId: subnet } : {}),
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ],
    };
  }

  /** Spot over every instance type first (when allowed), then on-demand over the same types. */
  private launchOptions(): LaunchOption[] {
    const { instanceTypes, useSpot } = this.config;
    return [
      ...(useSpot ? instanceTypes.map((instanceType) => ({ market: 'spot' as const, instanceType })) : []),
      ...instanceTypes.map((instanceType) => ({ market: 'on-demand' as const, instanceType })),
    ];
  }
}

/** One way to launch: a market and an instance type. */
interface LaunchOption {
  readonly market: 'spot' | 'on-demand';
  readonly instanceType: string;
}

function marketInput(option: LaunchOption): Partial<RunInstancesCommandInput> {
  return {
    InstanceType: option.instanceType as RunInstancesCommandInput['InstanceType'],
    ...(option.market === 'spot'
      ? {
          InstanceMarketOptions: {
            MarketType: 'spot',
            SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' },
          },
        }
      : {}),
  };
}
