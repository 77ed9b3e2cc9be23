import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { heartbeatKeyFor } from '#core/storage/object-keys.js';
import {
  createReplyQueue,
  eventually,
  queueCounts,
  receiveResults,
  startTestInfrastructure,
  submitJob,
  type TestInfrastructure,
} from '../support/infrastructure.js';
import { readPhoto } from '../support/images.js';
import { DIST_WORKER_ENTRY } from '../support/paths.js';

const INSTANCE_ID = 'i-0123456789abcdef0';

/** A fake EC2 instance metadata service (IMDSv2): a token, the instance id, and a Spot notice once set. */
function fakeMetadataService(): { server: Server; interrupt: (at: Date) => void } {
  let notice: string | undefined;
  const server = createServer((request, response) => {
    // The SDK joins the endpoint's path ("/") and the request's, so paths may start with "//".
    const url = request.url?.replace(/^\/+/, '/');
    if (request.method === 'PUT' && url === '/latest/api/token') return void response.end('token');
    if (request.headers['x-aws-ec2-metadata-token'] !== 'token') return void response.writeHead(401).end();
    if (url === '/latest/meta-data/instance-id') return void response.end(INSTANCE_ID);
    if (url === '/latest/meta-data/spot/instance-action' && notice) return void response.end(notice);
    response.writeHead(404).end();
  });
  return { server, interrupt: (at) => (notice = JSON.stringify({ action: 'terminate', time: at.toISOString() })) };
}

describe('a worker on a Spot instance that gets an interruption notice', () => {
  let infra: TestInfrastructure;
  let metadata: ReturnType<typeof fakeMetadataService>;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    metadata = fakeMetadataService();
    await new Promise<void>((resolve) => metadata.server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    metadata?.server.close();
    await infra?.stop();
  });

  async function heartbeat(): Promise<{ draining?: boolean; stopped: boolean } | undefined> {
    try {
      const { Body } = await infra.clients.s3.send(
        new GetObjectCommand({ Bucket: infra.names.outputBucket, Key: heartbeatKeyFor(INSTANCE_ID) }),
      );
      return JSON.parse(await Body!.transformToString()) as { draining?: boolean; stopped: boolean };
    } catch {
      return undefined;
    }
  }

  it('says it is draining, stops receiving, finishes or leaves its jobs, and exits', async () => {
    // Prepare: a worker process that learns its instance id from the fake metadata service
    const { port } = metadata.server.address() as AddressInfo;
    worker = spawn(process.execPath, [DIST_WORKER_ENTRY], {
      env: {
        ...infra.env,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}`,
        GLIMPSE_SELF_TERMINATE: 'true',
        GLIMPSE_SPOT_CHECK_SECONDS: '1',
        GLIMPSE_POLL_WAIT_SECONDS: '1',
        GLIMPSE_IDLE_SECONDS: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = once(worker, 'exit');
    const replyTo = await createReplyQueue(infra);
    const photo = await readPhoto('n01440764_tench.JPEG');
    await submitJob(infra, photo, { replyTo });
    const [before] = await receiveResults(infra, replyTo, 1, 30_000);

    // Act: EC2 announces the interruption 17 s ahead (the worker keeps 15 s to release and leave)
    metadata.interrupt(new Date(Date.now() + 17_000));
    await eventually(async () => ((await heartbeat())?.draining ? true : undefined), 10_000, 'a draining heartbeat');
    await submitJob(infra, photo, { replyTo });
    const [code] = (await exited) as [number | null];

    // Assess
    expect(before).toMatchObject({ status: 'done', workerId: INSTANCE_ID });
    expect(code).toBe(0);
    expect(await heartbeat()).toMatchObject({ draining: true, stopped: true });
    // The job sent while it drained was either taken by its last poll and finished, or left alone:
    // never held by a worker that is gone.
    const after = await receiveResults(infra, replyTo, 1, 1_000);
    const counts = await queueCounts(infra, infra.queues.requestQueueUrl);
    expect(counts.inFlight).toBe(0);
    expect(counts.visible + after.length).toBe(1);
  });
});
