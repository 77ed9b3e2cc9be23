import path from 'node:path';
import type { Env } from '#core/config/env-schema.js';
import { loadModelConfig } from '#core/config/model-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import type { Logger } from '#core/logging/logger.js';
import { openModelFolder } from '#core/models/model-folders.js';
import { readAnswerKey } from '../shared/answer-key.js';
import { runBare } from './bare.js';
import { runs, type BenchOptions } from './bench-options.js';
import { describeMachine } from '../shared/machine.js';
import { assembleReport, type BenchReport } from './bench-report.js';
import { BARE_PROFILE, listProfiles, withCpuProfile } from './profile.js';
import { runColdStack, runWarmStack } from './stack-phases.js';
import type { StackSettings } from '../shared/stack-process.js';
import { readImageEntries } from '../shared/workload.js';

/**
 * One bench run: bare, then a warm stack (end to end, one client, burst), then a cold stack.
 * `env` is the caller's: the model mirror and cache, and any GLIMPSE_* tuning the stacks inherit.
 */
export async function runBench(options: BenchOptions, env: Env, log: Logger): Promise<BenchReport> {
  const startedAt = new Date();
  const machine = describeMachine();
  const images = await readImageEntries(options.imagesDir);
  const key = await readAnswerKey(options.imagesDir, options.model);
  if (!key)
    log.warn({ imagesDir: options.imagesDir }, 'no labels.csv and reference-predictions.csv: answers unchecked');
  const modelConfig = loadModelConfig({ ...env, GLIMPSE_MODEL: options.model });
  const files = await openModelFolder(options.model, modelConfig);
  const workload = { images, key, log };
  const profileDir = options.profileDir && path.resolve(options.profileDir);

  const bare = runs(options, 'bare')
    ? await withCpuProfile(profileDir && path.join(profileDir, BARE_PROFILE), () =>
        runBare({
          ...workload,
          files,
          requests: options.requests,
          latencyImages: options.oneClient,
          cores: machine.cpus,
          limits: { maxInputPixels: loadWorkerConfig(env).maxInputPixels },
        }),
      )
    : undefined;
  const settings: StackSettings = {
    env,
    model: options.model,
    modelCacheDir: modelConfig.cacheDir,
    minWorkers: options.workers,
    maxWorkers: options.workers,
    ...(options.stackEntry ? { entry: options.stackEntry } : {}),
    log,
  };
  const warm = (['e2e', 'one-client', 'burst'] as const).some((section) => runs(options, section))
    ? await runWarmStack(options, { ...settings, profileDir }, workload)
    : undefined;
  const cold = runs(options, 'cold') ? await runColdStack(settings, workload) : undefined;
  const profiles = profileDir ? await listProfiles(profileDir, warm?.stackPid ?? 0, startedAt.getTime()) : [];
  return assembleReport(
    { startedAt: startedAt.toISOString(), machine, options, profiles },
    { bare, e2e: warm?.e2e, oneClient: warm?.oneClient, burst: warm?.burst, cold },
  );
}
