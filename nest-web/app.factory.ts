import 'reflect-metadata';
import { ValidationPipe, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AwsClients } from '#core/aws/clients.js';
import type { WebConfig } from '#core/config/web-config.js';
import { AppModule } from './app.module.js';
import type { WebAppExtras } from './aws/aws.module.js';

export interface WebAppOptions extends WebAppExtras {
  readonly logger?: LogLevel[] | false;
  /**
   * Close the app on SIGTERM/SIGINT (Nest re-raises the signal afterwards). On for a standalone web
   * tier; off when an embedding process (the local stack) orders the shutdown itself.
   */
  readonly shutdownHooks?: boolean;
}

/**
 * Builds the web tier: feature modules, global validation, Swagger UI at /docs, shutdown hooks
 * (so a clean stop deletes this process's response queue). The caller listens.
 */
export async function createWebApp(
  config: WebConfig,
  clients: AwsClients,
  options: WebAppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, clients, { nudge: options.nudge, metrics: options.metrics }),
    {
      logger: options.logger ?? ['log', 'warn', 'error'],
    },
  );
  app.disable('x-powered-by');
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Glimpse')
      .setDescription('Elastic image recognition as a service: upload images, get ImageNet-1k labels.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
