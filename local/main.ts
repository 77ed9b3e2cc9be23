import { describeError } from '#core/errors.js';
import { createProcessLogger } from '#core/logging/logger.js';
import { localWebhookSecretPath } from '#core/webhooks/local-webhook-secret.js';
import { startLocalStack, type LocalStack } from './local-stack.js';

/** `npm start`: the whole of Glimpse on this machine, no cloud account needed. */
const loggerFor = (component: string) => createProcessLogger(component, process.env);
const log = loggerFor('local');
try {
  const stack = await startLocalStack(process.env, loggerFor);
  process.stdout.write(readyBanner(stack));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130);
    log.info({ signal }, 'stopping');
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ error: describeError(error) }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
} catch (error) {
  log.fatal({ error: describeError(error) }, 'failed to start');
  process.exit(1);
}

/** What a person who ran `npm start` reads: where everything is. */
function readyBanner({ url, emulatorEndpoint, config }: LocalStack): string {
  return [
    '',
    `Glimpse ready at ${url}/`,
    `  upload page   ${url}/`,
    `  API docs      ${url}/docs`,
    `  health        ${url}/health`,
    `  emulator      ${emulatorEndpoint} (SQS + S3, state in ${config.dataDir})`,
    `  workers       ${config.scaler.policy.minWorkers}–${config.scaler.policy.maxWorkers}, scaled to the queue`,
    `  models        ${config.model.models.join(', ')} (default ${config.model.model}; ${url}/v1/models)`,
    `  metrics       ${url}/v1/metrics`,
    `  dashboard     ${url}/dashboard`,
    ...(process.env.GLIMPSE_WEBHOOK_SECRET
      ? []
      : [`  webhooks      signed with the secret in ${localWebhookSecretPath(config.dataDir)}`]),
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
