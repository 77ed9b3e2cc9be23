import { loadScalerConfig } from '#core/config/scaler-config.js';
import { createLogger } from '#core/logging/logger.js';
import { createScalerHandler } from './scaler-handler.js';
import { createScalerClients, createScalerRuntime, type ScalerRuntime } from './scaler-runtime.js';

/** Lambda entry point (serverless.yml: lambdas/scaler/handler.handler). Config is read once per container. */
const log = createLogger('scaler', (line) => console.log(line));
let runtime: Promise<ScalerRuntime> | undefined;

export const handler = createScalerHandler(() => {
  runtime ??= (async () => {
    const config = loadScalerConfig(process.env, 'aws');
    return createScalerRuntime(config, createScalerClients(config), log);
  })();
  // A failed start is not cached: the next invocation tries again.
  runtime.catch(() => (runtime = undefined));
  return runtime;
}, log);
