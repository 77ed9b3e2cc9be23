import { loadScalerConfig } from '#core/config/scaler-config.js';
import { createProcessLogger } from '#core/logging/logger.js';
import { createScalerHandler } from './scaler-handler.js';
import { createScalerClients, createScalerRuntime, type ScalerRuntime } from './scaler-runtime.js';

/**
 * The scaler Lambda's entry point (serverless.yml: lambdas/scaler/main.handler). Config is read
 * once per container; records go to stderr as JSON, which Lambda forwards to CloudWatch Logs.
 */
const log = createProcessLogger('scaler', process.env);
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
