import type { NestExpressApplication } from '@nestjs/platform-express';
import { createAwsClients, destroyAwsClients, type AwsClients } from '#core/aws/clients.js';
import { provisionInfrastructure } from '#core/aws/provision.js';
import type { Env } from '#core/config/env-schema.js';
import { emulatorDirs, loadStackConfig, type StackConfig } from '#core/config/stack-config.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import type { Log } from '#core/logging/logger.js';
import { loadModelFiles } from '#core/models/model-files.js';
import { modelSpec } from '#core/models/registry.js';
import { createWebApp } from '#web/app.factory.js';
import { startEmulator, type Emulator } from './emulator.js';
import { LocalWorkerPool } from './worker-pool.js';

/** The whole system on one machine, started. */
export interface LocalStack {
  readonly config: StackConfig;
  /** Base URL of the web tier. */
  readonly url: string;
  /** Endpoint of the SQS + S3 emulator. */
  readonly emulatorEndpoint: string;
  readonly pool: LocalWorkerPool;
  /** Stops the web tier (waiting requests answer at once; its response queue is deleted), then the workers, then the emulator. */
  stop(): Promise<void>;
}

/** Seconds the pool waits past the workers' own stop grace before it kills them. */
const KILL_MARGIN_SECONDS = 5;

/**
 * Starts the embedded default: the emulator (state under the data dir), the queues and buckets,
 * the model (fetched or mirrored once, verified), the web tier and the worker pool, all talking
 * through the real AWS SDK clients pointed at the emulator. A failure part-way stops what started.
 */
export async function startLocalStack(env: Env, log: Log): Promise<LocalStack> {
  const config = loadStackConfig(env);
  await loadModelFiles(modelSpec(config.model.model), config.model);
  const parts: { emulator?: Emulator; clients?: AwsClients; app?: NestExpressApplication; pool?: LocalWorkerPool } = {};
  // Stop order: no more restarts, web tier (answers waiting requests), workers, clients, emulator.
  const stopAll = async () => {
    parts.pool?.beginStop();
    await parts.app?.close();
    await parts.pool?.stop();
    if (parts.clients) destroyAwsClients(parts.clients);
    await parts.emulator?.stop();
  };
  try {
    const emulator = (parts.emulator = await startEmulator({
      port: config.emulatorPort,
      ...emulatorDirs(config.dataDir),
    }));
    const tierEnv: Env = {
      ...env,
      GLIMPSE_AWS_ENDPOINT: emulator.endpoint,
      GLIMPSE_DATA_DIR: config.dataDir,
      GLIMPSE_MODEL_CACHE: config.model.cacheDir,
    };
    const webConfig = loadWebConfig(tierEnv);
    // A fixed pool keeps its workers: the idle exit is for the elastic fleet.
    const workerEnv: Env = { ...tierEnv, GLIMPSE_IDLE_SECONDS: '0' };
    const workerConfig = loadWorkerConfig(workerEnv);
    const clients = (parts.clients = createAwsClients(webConfig.aws));
    await provisionInfrastructure(clients, config.names, config.queue);

    const app = (parts.app = await createWebApp(webConfig, clients, { shutdownHooks: false }));
    await app.listen(webConfig.port, webConfig.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');

    const pool = (parts.pool = new LocalWorkerPool({
      size: config.workers,
      env: workerEnv,
      log,
      killAfterSeconds: workerConfig.stopGraceSeconds + KILL_MARGIN_SECONDS,
    }));
    pool.start();

    let stopped: Promise<void> | undefined;
    return { config, url, emulatorEndpoint: emulator.endpoint, pool, stop: () => (stopped ??= stopAll()) };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}
