import { createAwsClients } from '#core/aws/clients.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { createWebApp } from './app.factory.js';

/** Web-tier process entry point (the Heat template's systemd unit runs this). */
const config = loadWebConfig(process.env);
const app = await createWebApp(config, createAwsClients(config.aws));
await app.listen(config.port, config.host);
console.log(`Glimpse web tier listening on ${await app.getUrl()}`);
