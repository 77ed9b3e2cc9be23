import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients, destroyAwsClients } from '#core/aws/clients.js';
import { loadAwsConfig } from '#core/config/aws-config.js';
import { startEmulator, type Emulator } from '#local/emulator.js';

/** Local addresses of the sockets listening on `port`, from the kernel's tables (IPv4 and IPv6, hex). */
async function listeningAddresses(port: number): Promise<string[]> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFile(file, 'utf8').catch(() => '')),
  );
  return tables
    .flatMap((table) => table.split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter(([, local, , state]) => state === '0A' && local?.endsWith(`:${hexPort}`))
    .map(([, local]) => local!.slice(0, local!.lastIndexOf(':')));
}

/** The machine's addresses other than loopback: where a neighbour on the network would connect. */
function nonLoopbackAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !info.internal && !info.address.startsWith('fe80:'))
    .map((info) => info!.address);
}

/** Resolves with how a TCP connection to `host:port` ended: `connected`, or the error code. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('the embedded emulator', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator?.stop());

  it('answers on 127.0.0.1', async () => {
    // Prepare
    const clients = createAwsClients(loadAwsConfig({ GLIMPSE_AWS_ENDPOINT: emulator.endpoint }));
    try {
      // Act
      const listed = await clients.sqs.send(new ListQueuesCommand({}));
      // Assess
      expect(new URL(emulator.endpoint).hostname).toBe('127.0.0.1');
      expect(listed.$metadata.httpStatusCode).toBe(200);
    } finally {
      destroyAwsClients(clients);
    }
  });

  it('listens on the loopback address only (its one listening socket is 127.0.0.1)', async () => {
    // Act
    const addresses = await listeningAddresses(emulator.server.port);
    // Assess: /proc/net/tcp writes 127.0.0.1 as 0100007F (little-endian); 0.0.0.0 would be 00000000.
    expect(addresses).toEqual(['0100007F']);
  });

  it("is not reachable on the machine's other addresses", async () => {
    // Act
    const attempts = await Promise.all(
      nonLoopbackAddresses().map(async (address) => [address, await tryConnect(address, emulator.server.port)]),
    );
    // Assess: with no other address there is nothing to reach (the socket test above still holds).
    expect(attempts.filter(([, result]) => result === 'connected')).toEqual([]);
  });
});
