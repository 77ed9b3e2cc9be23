/**
 * EC2 tags that mark Glimpse workers. The scaler launches with them, lists by them and terminates
 * only instances carrying them; the IAM policies in serverless.yml condition on the same keys.
 */
export const FLEET_TAG_KEYS = {
  /** Tag naming the fleet (deployment) a worker belongs to; its value is the fleet name. */
  fleet: 'glimpse:fleet',
  /** Tag naming the role; always {@link WORKER_ROLE} on workers. */
  role: 'glimpse:role',
} as const;

export const WORKER_ROLE = 'worker';

/** The tags every worker of `fleetName` carries. */
export function workerTags(fleetName: string): Record<string, string> {
  return { [FLEET_TAG_KEYS.fleet]: fleetName, [FLEET_TAG_KEYS.role]: WORKER_ROLE };
}
