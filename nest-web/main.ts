import { LambdaClient } from '@aws-sdk/client-lambda';
import { createAwsClients } from '#core/aws/clients.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { createProcessLogger } from '#core/logging/logger.js';
import { createWebApp } from './app.factory.js';
import { lambdaNudge } from './scaling/lambda-nudge.js';

/** Web-tier process entry point (the Heat template's systemd unit runs this). */
const logger = createProcessLogger('web', process.env);
const config = loadWebConfig(process.env);
const nudge = config.scalerFunction
  ? lambdaNudge(new LambdaClient({ region: config.aws.region }), config.scalerFunction, logger)
  : undefined;
const app = await createWebApp(config, createAwsClients(config.aws), { logger, nudge });
await app.listen(config.port, config.host);
logger.info({ url: await app.getUrl() }, 'Glimpse web tier listening');
