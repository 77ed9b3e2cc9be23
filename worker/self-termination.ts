import { TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { MetadataService } from '@aws-sdk/ec2-metadata-service';
import { InstanceIdentityError } from './errors.js';

/** This EC2 instance's id, from the instance metadata service (IMDSv2: session token first). */
export async function ownInstanceId(metadata: Pick<MetadataService, 'request'>): Promise<string> {
  const id = (await metadata.request('/latest/meta-data/instance-id', {})).trim();
  if (!/^i-[0-9a-f]{8,17}$/.test(id)) {
    throw new InstanceIdentityError(`instance metadata returned no instance id: ${id.slice(0, 40)}`);
  }
  return id;
}

/**
 * Terminates this instance (the worker's IAM policy allows TerminateInstances only on itself).
 * The launch template also sets shutdown behaviour to terminate, so a failed call can fall back to
 * a shutdown.
 */
export async function terminateSelf(ec2: EC2Client, instanceId: string): Promise<void> {
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
}
