import { createLogger } from '#core/logging/logger.js';
import { startLocalStack } from './local-stack.js';

/** `npm start`: the whole of Glimpse on this machine, no cloud account needed. */
const log = createLogger('local');
try {
  const stack = await startLocalStack(process.env, log);
  const { config } = stack;
  process.stdout.write(
    [
      '',
      `Glimpse ready at ${stack.url}/`,
      `  upload page   ${stack.url}/`,
      `  API docs      ${stack.url}/docs`,
      `  health        ${stack.url}/health`,
      `  emulator      ${stack.emulatorEndpoint} (SQS + S3, state in ${config.dataDir})`,
      `  workers       ${config.scaler.policy.minWorkers}–${config.scaler.policy.maxWorkers} × ${config.model.model}, scaled to the queue`,
      `  metrics       ${stack.url}/v1/metrics`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130);
    log('stopping', { signal });
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log('stop failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
} catch (error) {
  log('failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
