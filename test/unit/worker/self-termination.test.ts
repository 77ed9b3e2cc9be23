import { EC2Client, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { ownInstanceId, terminateSelf } from '#worker/self-termination.js';

describe('worker self-termination on EC2', () => {
  it('reads its instance id from the metadata service and terminates exactly that instance', async () => {
    const paths: string[] = [];
    const id = await ownInstanceId({
      request: async (path: string) => {
        paths.push(path);
        return 'i-0123456789abcdef0\n';
      },
    });
    expect(paths).toEqual(['/latest/meta-data/instance-id']);
    expect(id).toBe('i-0123456789abcdef0');

    const ec2 = new EC2Client({ region: 'us-east-1' });
    const mock = mockClient(ec2);
    mock.on(TerminateInstancesCommand).resolves({});
    await terminateSelf(ec2, id);
    expect(mock.commandCalls(TerminateInstancesCommand).map((call) => call.args[0].input)).toEqual([
      { InstanceIds: ['i-0123456789abcdef0'] },
    ]);
  });

  it('refuses an answer that is not an instance id', async () => {
    await expect(ownInstanceId({ request: async () => '<html>captive portal</html>' })).rejects.toThrow(
      /no instance id/,
    );
  });
});
