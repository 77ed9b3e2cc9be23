import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { AwsClients } from '#core/aws/clients.js';
import type { WebConfig } from '#core/config/web-config.js';
import { createLogger } from '#core/logging/logger.js';
import { AppModule } from './app.module.js';
import { DOCS_PATH, securityHeaders } from './http/security-headers.js';
import { openApiDocument } from './openapi.js';
import type { WebTierParts } from './web-tier-parts.js';

export interface WebAppOptions extends Pick<WebTierParts, 'nudge' | 'metrics'> {
  /** The web tier's root logger (request logs, Nest's lines, services). Default: `createLogger('web')`. */
  readonly logger?: WebTierParts['logger'];
  /**
   * Close the app on SIGTERM/SIGINT (Nest re-raises the signal afterwards). On for a standalone web
   * tier; off when an embedding process (the local stack) orders the shutdown itself.
   */
  readonly shutdownHooks?: boolean;
}

/**
 * Builds the web tier: security headers on every answer, the client address behind a trusted
 * proxy, feature modules, validation, Swagger UI at /docs, shutdown hooks (so a clean stop deletes
 * this process's response queue). The caller listens.
 *
 * nestjs-pino keeps one pino-http per process: a second app built in the same process (a test
 * restarting the web tier) logs through the first one's logger.
 */
export async function createWebApp(
  config: WebConfig,
  clients: AwsClients,
  options: WebAppOptions = {},
): Promise<NestExpressApplication> {
  const parts: WebTierParts = {
    config,
    clients,
    logger: options.logger ?? createLogger('web'),
    nudge: options.nudge,
    metrics: options.metrics,
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(parts), {
    bufferLogs: true,
    // Modules are told apart by reference: `register(parts)` hands every importer the same one.
    moduleIdGeneratorAlgorithm: 'reference',
  });
  app.useLogger(app.get(NestPinoLogger));
  app.disable('x-powered-by');
  // Express's request.ip then names the client nginx forwarded, which the rate limits count by.
  if (config.edge.trustProxy !== undefined) app.set('trust proxy', config.edge.trustProxy);
  // Before any route, static file or Swagger handler is added, so that every answer carries them.
  const headers = securityHeaders();
  app.use(headers.everywhere);
  app.use(`/${DOCS_PATH}`, headers.docs);
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  SwaggerModule.setup(DOCS_PATH, app, openApiDocument(app), { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
  return app;
}
