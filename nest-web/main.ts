import { LambdaClient } from '@aws-sdk/client-lambda';
import { createAwsClients } from '#core/aws/clients.js';
import { createLogger } from '#core/logging/logger.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { createWebApp } from './app.factory.js';
import { lambdaNudge } from './scaling/lambda-nudge.js';

/** Web-tier process entry point (the Heat template's systemd unit runs this). */
const config = loadWebConfig(process.env);
const nudge = config.scalerFunction
  ? lambdaNudge(new LambdaClient({ region: config.aws.region }), config.scalerFunction, createLogger('web'))
  : undefined;
const app = await createWebApp(config, createAwsClients(config.aws), { nudge });
await app.listen(config.port, config.host);
console.log(`Glimpse web tier listening on ${await app.getUrl()}`);
