import { mkdir } from 'node:fs/promises';
import { startFauxqs, type FauxqsServer } from 'fauxqs';

export interface EmulatorOptions {
  readonly port: number;
  /** Persist SQS state (SQLite) here; omit for an in-memory emulator. */
  readonly dataDir?: string;
  /** Persist S3 objects as files here. */
  readonly s3StorageDir?: string;
  /** How the queue database reaches the disk (see `StackConfig.emulatorSync`); default `normal`. */
  readonly sync?: 'normal' | 'full';
  /** Record what is sent and read (`server.spy`), for tests; off by default. */
  readonly spy?: boolean;
}

/**
 * The only address the emulator listens on. It holds every upload and takes any job without
 * credentials, so nothing off this machine may reach it.
 */
export const EMULATOR_HOST = '127.0.0.1';

/** A running emulator and the endpoint clients on this machine use. */
export interface Emulator {
  readonly server: FauxqsServer;
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The in-process SQS + S3 emulator (fauxqs) on loopback only, persisted to disk when given folders. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  if (options.s3StorageDir) await mkdir(options.s3StorageDir, { recursive: true });
  const server = await startFauxqs({
    port: options.port,
    listenHost: EMULATOR_HOST,
    logger: false,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    sqliteSynchronous: options.sync === 'full' ? 'FULL' : 'NORMAL',
    ...(options.s3StorageDir ? { s3StorageDir: options.s3StorageDir } : {}),
    ...(options.spy ? { messageSpies: { bufferSize: 10_000 } } : {}),
  });
  return { server, endpoint: `http://${EMULATOR_HOST}:${server.port}`, stop: () => server.stop() };
}
