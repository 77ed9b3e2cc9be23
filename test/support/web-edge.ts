import { createHash, randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Env } from '#core/config/env-schema.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp, type WebAppOptions } from '#web/app.factory.js';
import type { TestInfrastructure } from './infrastructure.js';

/** A web tier listening on a free loopback port, for tests of the public edge (keys, limits, error bodies). */
export interface WebApp {
  readonly app: NestExpressApplication;
  readonly url: string;
}

/** Starts a web tier on the test infrastructure, its environment overridden by `env`; silent unless given a logger. */
export async function startWeb(infra: TestInfrastructure, env: Env, options: WebAppOptions = {}): Promise<WebApp> {
  const config = loadWebConfig({ ...infra.env, PORT: '0', ...env });
  const app = await createWebApp(config, infra.clients, { logger: silentLogger(), ...options });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/** An API key as a client would be given one. */
export const newKey = (): string => randomBytes(24).toString('base64url');

/** What `GLIMPSE_API_KEYS` holds for a key: its SHA-256, in hex. */
export const digestOf = (key: string): string => createHash('sha256').update(key).digest('hex');

/** An upload form of one photo, as `images` (the /v1 route's field) unless another field is named. */
export function photoForm(photo: Buffer, { field = 'images', name = 'k.jpg' } = {}): FormData {
  const body = new FormData();
  body.append(field, new Blob([photo], { type: 'image/jpeg' }), name);
  return body;
}
