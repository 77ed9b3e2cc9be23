import { createAwsClients, destroyAwsClients } from '#core/aws/clients.js';
import { provisionInfrastructure } from '#core/aws/provision.js';
import type { Env } from '#core/config/env-schema.js';
import { emulatorDirs, loadStackConfig, type StackConfig } from '#core/config/stack-config.js';
import { loadWebConfig } from '#core/config/web-config.js';
import type { Log } from '#core/logging/logger.js';
import { loadModelFiles } from '#core/models/model-files.js';
import { modelSpec } from '#core/models/registry.js';
import { createWebApp } from '#web/app.factory.js';
import { startEmulator } from './emulator.js';
import { LocalWorkerPool } from './worker-pool.js';

/** The whole system on one machine, started. */
export interface LocalStack {
  readonly config: StackConfig;
  /** Base URL of the web tier. */
  readonly url: string;
  /** Endpoint of the SQS + S3 emulator. */
  readonly emulatorEndpoint: string;
  readonly pool: LocalWorkerPool;
  /** Stops the web tier (its response queue is deleted), then the workers, then the emulator. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded default: the emulator (state under the data dir), the queues and buckets,
 * the model (fetched or mirrored once, verified), the worker pool and the web tier, all talking
 * through the real AWS SDK clients pointed at the emulator.
 */
export async function startLocalStack(env: Env, log: Log): Promise<LocalStack> {
  const config = loadStackConfig(env);
  await loadModelFiles(modelSpec(config.model.model), config.model);
  const emulator = await startEmulator({ port: config.emulatorPort, ...emulatorDirs(config.dataDir) });
  const tierEnv: Env = {
    ...env,
    GLIMPSE_AWS_ENDPOINT: emulator.endpoint,
    GLIMPSE_DATA_DIR: config.dataDir,
    GLIMPSE_MODEL_CACHE: config.model.cacheDir,
  };
  const webConfig = loadWebConfig(tierEnv);
  const clients = createAwsClients(webConfig.aws);
  await provisionInfrastructure(clients, config.names, config.queue);

  // A fixed pool keeps its workers: the idle exit is for the elastic fleet.
  const pool = new LocalWorkerPool({ size: config.workers, env: { ...tierEnv, GLIMPSE_IDLE_SECONDS: '0' }, log });
  pool.start();
  const app = await createWebApp(webConfig, clients, { shutdownHooks: false });
  await app.listen(webConfig.port, webConfig.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost');

  let stopped: Promise<void> | undefined;
  return {
    config,
    url,
    emulatorEndpoint: emulator.endpoint,
    pool,
    stop: () =>
      (stopped ??= (async () => {
        await app.close();
        await pool.stop();
        destroyAwsClients(clients);
        await emulator.stop();
      })()),
  };
}
