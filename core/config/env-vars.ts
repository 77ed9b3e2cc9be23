import { awsEnvSchema } from './aws-config.js';
import { fleetNameEnvSchema } from './fleet-name.js';
import { logEnvSchema } from './log-config.js';
import { modelEnvSchema } from './model-config.js';
import { queuePolicyEnvSchema, resourceNamesEnvSchema } from './resource-names.js';
import { scalerEnvSchema } from './scaler-config.js';
import { stackEnvSchema } from './stack-config.js';
import { webEnvSchema } from './web-config.js';
import { workerEnvSchema } from './worker-config.js';

/**
 * Every environment variable the code reads. Deployment templates may set only these (a test
 * checks each GLIMPSE_* name they use against this list).
 */
export const KNOWN_ENV_VARS: ReadonlySet<string> = new Set([
  'GLIMPSE_DATA_DIR',
  ...[
    awsEnvSchema,
    resourceNamesEnvSchema,
    queuePolicyEnvSchema,
    modelEnvSchema,
    stackEnvSchema,
    webEnvSchema,
    workerEnvSchema,
    scalerEnvSchema,
    fleetNameEnvSchema,
    logEnvSchema,
  ].flatMap((schema) => Object.keys(schema.shape)),
]);
