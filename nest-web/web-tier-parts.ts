import type { DynamicModule, Type } from '@nestjs/common';
import type { AwsClients } from '#core/aws/clients.js';
import type { WebConfig } from '#core/config/web-config.js';
import type { Logger } from '#core/logging/logger.js';
import type { MetricSeries } from '#core/metrics/metric-series.js';
import type { ScalerNudge } from '#core/scaling/scaler-nudge.js';

/** What the process hands its web tier: built once by the entry point (or the local stack). */
export interface WebTierParts {
  readonly config: WebConfig;
  readonly clients: AwsClients;
  /** The root logger: request logs and Nest's own lines are its records. */
  readonly logger: Logger;
  /** Called when work arrives (local scaler, or the scaler Lambda). */
  readonly nudge?: ScalerNudge;
  /** In-memory metrics served at GET /v1/metrics (local stack). */
  readonly metrics?: MetricSeries;
}

const registered = new WeakMap<WebTierParts, Map<Type<unknown>, DynamicModule>>();

/**
 * A module's `register(parts)`: the same parts always give the same DynamicModule object. Nest
 * identifies modules by reference here (see createWebApp), so every feature importing, say, the
 * queues gets the one instance: one response queue and one result waiter per app.
 */
export function registerOnce(
  module: Type<unknown>,
  parts: WebTierParts,
  build: () => Omit<DynamicModule, 'module'>,
): DynamicModule {
  const modules = registered.get(parts) ?? new Map<Type<unknown>, DynamicModule>();
  registered.set(parts, modules);
  const existing = modules.get(module);
  if (existing) return existing;
  const created: DynamicModule = { module, ...build() };
  modules.set(module, created);
  return created;
}

/** `register(parts)` of a module whose one job is to hand its importers a ready-made service. */
export function registerService<T extends object>(
  module: Type<unknown>,
  parts: WebTierParts,
  service: Type<T>,
  build: () => T,
): DynamicModule {
  return registerOnce(module, parts, () => ({
    providers: [{ provide: service, useValue: build() }],
    exports: [service],
  }));
}
