import type { NestExpressApplication } from '@nestjs/platform-express';
import { createAwsClients, destroyAwsClients, type AwsClients } from '#core/aws/clients.js';
import { setJobVisibility } from '#core/aws/job-visibility.js';
import { provisionInfrastructure, type ProvisionedQueues } from '#core/aws/provision.js';
import { RESPONSE_QUEUE_TOUCH_MS, sweepResponseQueues } from '#core/aws/response-queues.js';
import { DeadLetterSettler } from '#core/jobs/dead-letter-settler.js';
import type { Env } from '#core/config/env-schema.js';
import { emulatorDirs, loadStackConfig, type StackConfig } from '#core/config/stack-config.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { HeartbeatStore } from '#core/fleet/heartbeat-store.js';
import type { Logger } from '#core/logging/logger.js';
import { MetricSeries } from '#core/metrics/metric-series.js';
import { prepareDefaultModel } from '#core/models/model-folders.js';
import { observeQueue } from '#core/scaling/queue-observer.js';
import { Scaler } from '#core/scaling/scaler.js';
import { throttledNudge } from '#core/scaling/scaler-nudge.js';
import { JobStore } from '#core/storage/job-store.js';
import { localWebhookSecret } from '#core/webhooks/local-webhook-secret.js';
import { WebhookRequests } from '#core/webhooks/webhook-requests.js';
import { createWebApp } from '#web/app.factory.js';
import { startEmulator, type Emulator } from './emulator.js';
import { StackStartError, type StackPart } from './errors.js';
import { LocalFleet } from './local-fleet.js';
import { runPeriodically } from './periodic.js';

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

/** What has started so far, so that a failure part-way stops exactly that. */
interface StartedParts {
  emulator?: Emulator;
  clients?: AwsClients;
  app?: NestExpressApplication;
  fleet?: LocalFleet;
  scaler?: Scaler;
  sweeper?: NodeJS.Timeout;
  settler?: NodeJS.Timeout;
}

/**
 * Minimum spacing of the web tier's nudges: a burst of uploads needs one early tick, not hundreds.
 * Shorter than a deployed web tier's (which invokes a Lambda): here a nudge is a function call.
 */
const LOCAL_NUDGE_INTERVAL_MS = 200;

/** The logger of one component of the stack (`local`, `scaler`, `web`), all alike in level and format. */
export type LoggerFor = (component: string) => Logger;

/** Seconds the fleet waits past the workers' own stop grace before it kills them. */
const KILL_MARGIN_SECONDS = 5;

/**
 * Starts the embedded default: the emulator (state under the data dir), the queues and buckets,
 * the model (fetched or mirrored once, verified), the web tier, and the scaler loop (the Lambda's
 * policy code) driving a fleet of local worker processes (the AMI's worker code), all talking
 * through the real AWS SDK clients pointed at the emulator. A failure part-way stops what started.
 */
export async function startLocalStack(env: Env, loggerFor: LoggerFor): Promise<LocalStack> {
  const config = loadStackConfig(env);
  const log = loggerFor('local');
  await prepareDefaultModel(config.model);
  const parts: StartedParts = {};
  try {
    const emulator = (parts.emulator = await startPart('emulator', () =>
      startEmulator({ port: config.emulatorPort, sync: config.emulatorSync, ...emulatorDirs(config.dataDir) }),
    ));
    const webhookSecret = env.GLIMPSE_WEBHOOK_SECRET || (await localWebhookSecret(config.dataDir));
    const tierEnv = tierEnvFor(env, config, emulator, webhookSecret);
    const webConfig = loadWebConfig(tierEnv);
    const clients = (parts.clients = createAwsClients(webConfig.aws));
    const queues = await startPart('queues and buckets', () =>
      provisionInfrastructure(clients, config.names, config.queue),
    );
    const metrics = new MetricSeries();
    const { fleet, scaler } = createFleetAndScaler(parts, { config, tierEnv, clients, queues, metrics, loggerFor });
    const app = (parts.app = await startPart('web tier', () =>
      createWebApp(webConfig, clients, {
        logger: loggerFor('web'),
        shutdownHooks: false,
        nudge: throttledNudge(() => scaler.nudge(), LOCAL_NUDGE_INTERVAL_MS),
        metrics,
      }),
    ));
    await startPart('web tier', () => app.listen(webConfig.port, webConfig.host));
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    scaler.start();
    startHousekeeping(parts, { config, clients, queues, log });
    let stopped: Promise<void> | undefined;
    const stop = () => (stopped ??= stopParts(parts));
    return { config, url, emulatorEndpoint: emulator.endpoint, fleet, scaler, metrics, stop };
  } catch (error) {
    await stopParts(parts).catch(() => undefined);
    throw error;
  }
}

/** What the stack's parts are built from, once the emulator, clients and queues exist. */
interface StackParts {
  readonly config: StackConfig;
  readonly clients: AwsClients;
  readonly queues: ProvisionedQueues;
}

/**
 * The fleet of local worker processes (the AMI's worker code) and the scaler loop driving it (the
 * Lambda's policy code). A dead worker's jobs are released at once and the scaler is nudged to
 * replace it.
 */
function createFleetAndScaler(
  parts: StartedParts,
  {
    config,
    tierEnv,
    clients,
    queues,
    metrics,
    loggerFor,
  }: StackParts & {
    readonly tierEnv: Env;
    readonly metrics: MetricSeries;
    readonly loggerFor: LoggerFor;
  },
): { fleet: LocalFleet; scaler: Scaler } {
  const { requestQueueUrl } = queues;
  const releaseJobs = async (receipts: readonly string[]) => {
    await setJobVisibility(
      clients.sqs,
      requestQueueUrl,
      receipts.map((receipt) => ({ receipt, seconds: 0 })),
    );
  };
  const fleet = (parts.fleet = new LocalFleet({
    env: tierEnv,
    metrics,
    killAfterSeconds: loadWorkerConfig(tierEnv).stopGraceSeconds + KILL_MARGIN_SECONDS,
    releaseJobs,
    // A dead worker is replaced at the scaler's next tick; the nudge makes that tick now.
    onWorkerDied: () => parts.scaler?.nudge(),
    log: loggerFor('local'),
  }));
  const scaler = (parts.scaler = new Scaler({
    observeQueue: () => observeQueue(clients.sqs, requestQueueUrl),
    fleet,
    heartbeats: new HeartbeatStore(clients.s3, config.names.outputBucket),
    metrics,
    policy: config.scaler.policy,
    log: loggerFor('scaler'),
  }));
  return { fleet, scaler };
}

/** What runs beside the path: the response-queue sweep and the dead-letter settler. */
function startHousekeeping(
  parts: StartedParts,
  { config, clients, queues, log }: StackParts & { readonly log: Logger },
): void {
  parts.sweeper = sweepResponseQueuesEveryMinute(clients, config, log);
  const settler = new DeadLetterSettler({
    sqs: clients.sqs,
    store: new JobStore(clients.s3, config.names),
    requestQueueUrl: queues.requestQueueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    responseQueuePrefix: config.names.responseQueuePrefix,
    redrives: config.queue.deadLetterRedrives,
    defaultModel: config.model.model,
    webhooks: new WebhookRequests(clients.sqs, queues.webhookQueueUrl),
    log,
  });
  parts.settler = settleDeadLettersRegularly(settler, log);
}

/** Starts one part, naming it in the error when it does not start. */
async function startPart<T>(part: StackPart, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    throw new StackStartError(part, { cause: error });
  }
}

/**
 * The environment of the web tier and of every worker: the caller's, pointed at the emulator; webhooks
 * signed with the data dir's secret and allowed to http://localhost receivers unless the caller says otherwise.
 */
function tierEnvFor(env: Env, config: StackConfig, emulator: Emulator, webhookSecret: string): Env {
  return {
    ...env,
    GLIMPSE_WEBHOOK_ALLOW_HTTP_LOOPBACK: env.GLIMPSE_WEBHOOK_ALLOW_HTTP_LOOPBACK || 'true',
    GLIMPSE_WEBHOOK_SECRET: webhookSecret,
    GLIMPSE_AWS_ENDPOINT: emulator.endpoint,
    GLIMPSE_DATA_DIR: config.dataDir,
    GLIMPSE_MODEL_CACHE: config.model.cacheDir,
  };
}

/**
 * Deletes, now and every minute, the response queues of web processes that crashed (a stack killed
 * before it could delete its own queue leaves it in the persisted emulator).
 */
function sweepResponseQueuesEveryMinute(clients: AwsClients, config: StackConfig, log: Logger): NodeJS.Timeout {
  const sweep = async () => {
    const { names, queue } = config;
    const report = await sweepResponseQueues(clients.sqs, names.responseQueuePrefix, queue.responseQueueIdleSeconds);
    if (report.deleted.length > 0 || report.failed.length > 0)
      log.info({ ...report }, 'abandoned response queues swept');
  };
  return runPeriodically(sweep, RESPONSE_QUEUE_TOUCH_MS, 'response-queue sweep', log);
}

/** How often the local stack settles dead-lettered jobs: a job there waits for an answer. */
const DEAD_LETTER_SETTLE_MS = 2_000;

/** Sends dead-lettered jobs back, or answers them `worker_lost`, every couple of seconds. */
function settleDeadLettersRegularly(settler: DeadLetterSettler, log: Logger): NodeJS.Timeout {
  return runPeriodically(() => settler.settle(), DEAD_LETTER_SETTLE_MS, 'dead-letter settling', log);
}

/** Stops in order: the scaler, the web tier, the workers, the clients, the emulator. */
async function stopParts(parts: StartedParts): Promise<void> {
  clearInterval(parts.sweeper);
  clearInterval(parts.settler);
  await parts.scaler?.stop();
  await parts.app?.close();
  await parts.fleet?.stop();
  if (parts.clients) destroyAwsClients(parts.clients);
  await parts.emulator?.stop();
}
