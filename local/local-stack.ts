import type { NestExpressApplication } from '@nestjs/platform-express';
import { createAwsClients, destroyAwsClients, type AwsClients } from '#core/aws/clients.js';
import { provisionInfrastructure } from '#core/aws/provision.js';
import type { Env } from '#core/config/env-schema.js';
import { emulatorDirs, loadStackConfig, type StackConfig } from '#core/config/stack-config.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { HeartbeatStore } from '#core/fleet/heartbeat-store.js';
import type { Log } from '#core/logging/logger.js';
import { MetricSeries } from '#core/metrics/metric-series.js';
import { loadModelFiles } from '#core/models/model-files.js';
import { modelSpec } from '#core/models/registry.js';
import { observeQueue } from '#core/scaling/queue-observer.js';
import { Scaler } from '#core/scaling/scaler.js';
import { throttledNudge } from '#core/scaling/scaler-nudge.js';
import { createWebApp } from '#web/app.factory.js';
import { startEmulator, type Emulator } from './emulator.js';
import { LocalFleet } from './local-fleet.js';

/** The whole system on one machine, started. */
export interface LocalStack {
  readonly config: StackConfig;
  /** Base URL of the web tier. */
  readonly url: string;
  /** Endpoint of the SQS + S3 emulator. */
  readonly emulatorEndpoint: string;
  readonly fleet: LocalFleet;
  readonly scaler: Scaler;
  readonly metrics: MetricSeries;
  /** Stops the scaler, the web tier (waiting requests answer at once), the workers, then the emulator. */
  stop(): Promise<void>;
}

/** Minimum spacing of the web tier's nudges: a burst of uploads needs one early tick, not hundreds. */
const NUDGE_INTERVAL_MS = 200;

/** Seconds the fleet waits past the workers' own stop grace before it kills them. */
const KILL_MARGIN_SECONDS = 5;

/**
 * Starts the embedded default: the emulator (state under the data dir), the queues and buckets,
 * the model (fetched or mirrored once, verified), the web tier, and the scaler loop (the Lambda's
 * policy code) driving a fleet of local worker processes (the AMI's worker code), all talking
 * through the real AWS SDK clients pointed at the emulator. A failure part-way stops what started.
 */
export async function startLocalStack(env: Env, log: Log): Promise<LocalStack> {
  const config = loadStackConfig(env);
  await loadModelFiles(modelSpec(config.model.model), config.model);
  const parts: {
    emulator?: Emulator;
    clients?: AwsClients;
    app?: NestExpressApplication;
    fleet?: LocalFleet;
    scaler?: Scaler;
  } = {};
  const stopAll = async () => {
    await parts.scaler?.stop();
    await parts.app?.close();
    await parts.fleet?.stop();
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
    const workerConfig = loadWorkerConfig(tierEnv);
    const clients = (parts.clients = createAwsClients(webConfig.aws));
    const { requestQueueUrl } = await provisionInfrastructure(clients, config.names, config.queue);

    const metrics = new MetricSeries();
    const fleet = (parts.fleet = new LocalFleet({
      env: tierEnv,
      metrics,
      killAfterSeconds: workerConfig.stopGraceSeconds + KILL_MARGIN_SECONDS,
      log,
    }));
    const scaler = (parts.scaler = new Scaler({
      observeQueue: () => observeQueue(clients.sqs, requestQueueUrl),
      fleet,
      heartbeats: new HeartbeatStore(clients.s3, config.names.outputBucket),
      metrics,
      policy: config.scaler.policy,
      log,
    }));
    const app = (parts.app = await createWebApp(webConfig, clients, {
      shutdownHooks: false,
      nudge: throttledNudge(() => scaler.nudge(), NUDGE_INTERVAL_MS),
      metrics,
    }));
    await app.listen(webConfig.port, webConfig.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    scaler.start();

    let stopped: Promise<void> | undefined;
    return {
      config,
      url,
      emulatorEndpoint: emulator.endpoint,
      fleet,
      scaler,
      metrics,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}
