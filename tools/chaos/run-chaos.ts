import type { Env } from '#core/config/env-schema.js';
import { loadModelConfig } from '#core/config/model-config.js';
import type { Logger } from '#core/logging/logger.js';
import { prepareDefaultModel } from '#core/models/model-folders.js';
import { BUILT_IN_MODEL_NAMES, type BuiltInModelName } from '#core/models/registry.js';
import { readAnswerKey, type AnswerKey } from '../shared/answer-key.js';
import { describeMachine } from '../shared/machine.js';
import { cycle, readImageEntries } from '../shared/workload.js';
import { runBurst, webClient } from './burst.js';
import type { ChaosOptions } from './chaos-options.js';
import { assembleChaosReport, type ChaosReport } from './chaos-report.js';
import { runningStack, SelfStartedStack, type ChaosTarget } from './chaos-target.js';
import { checkJobs } from './job-check.js';
import type { ReferenceOf } from './outcomes.js';

/**
 * One chaos run: the stack (started, or the one at `--url`), the burst under kills and restart,
 * the check of every job by id, the report. `env` is the caller's: the model mirror and cache, and
 * any GLIMPSE_* tuning a self-started stack inherits.
 */
export async function runChaos(options: ChaosOptions, env: Env, log: Logger): Promise<ChaosReport> {
  const startedAt = new Date().toISOString();
  const images = await readImageEntries(options.imagesDir);
  const referenceOf = await readReferences(options.imagesDir, log);
  const target = await startTarget(options, env, log);
  try {
    log.info({ url: target.url }, 'stack ready');
    const burst = await runBurst(target, cycle(images, options.requests), options, log);
    const checks = await checkJobs(webClient(target.url), burst.records);
    return assembleChaosReport({ startedAt, machine: describeMachine(), options, burst, checks, referenceOf });
  } finally {
    await target.stop();
  }
}

async function startTarget(options: ChaosOptions, env: Env, log: Logger): Promise<ChaosTarget> {
  const { target } = options;
  if (target.kind === 'running') return runningStack(target.url, target.stackPid);
  // The verified model files once, in the caller's cache, so that no start of the stack fetches them again.
  const modelConfig = loadModelConfig({ ...env, GLIMPSE_MODEL: target.model });
  await prepareDefaultModel(modelConfig);
  log.info({ workers: target.workers }, 'starting a stack and waiting for its workers');
  const settings = { env, model: target.model, modelCacheDir: modelConfig.cacheDir, log };
  return SelfStartedStack.start(
    { ...settings, minWorkers: target.workers, maxWorkers: target.workers },
    target.workers,
  );
}

/** The reference top-1 of each image for each model, from the folder's answer key (none: unchecked). */
async function readReferences(imagesDir: string, log: Logger): Promise<ReferenceOf> {
  const keys = new Map<string, AnswerKey>();
  for (const model of BUILT_IN_MODEL_NAMES) {
    const key = await readAnswerKey(imagesDir, model);
    if (key) keys.set(model, key);
  }
  if (keys.size === 0) log.warn({ imagesDir }, 'no labels.csv and reference-predictions.csv: answers unchecked');
  return (filename, model) => keys.get(model as BuiltInModelName)?.get(filename)?.reference;
}
