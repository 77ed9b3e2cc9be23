import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ModelConfig } from '../config/model-config.js';
import { mapWithLimit } from '../concurrency/map-with-limit.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { ModelContractError, ModelFolderSyncError } from './errors.js';
import { isBuiltInModel } from './registry.js';

/** Bounds on one model folder in the bucket, so a wrong prefix cannot fill the disk. */
export interface ModelFolderLimits {
  readonly maxObjects: number;
  readonly maxBytes: number;
}

/** A model folder holds model.json, the ONNX file and the labels, and perhaps a README: a few files. */
export const DEFAULT_MODEL_FOLDER_LIMITS: ModelFolderLimits = { maxObjects: 32, maxBytes: 4 * 1024 ** 3 };

export interface ModelSyncOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Key prefix of the model folders (`models/`): a model's files are under `<prefix><name>/`. */
  readonly prefix: string;
  /** Folder of model folders to write into. */
  readonly modelDir: string;
  readonly limits?: ModelFolderLimits;
  readonly log: Logger;
}

/** What a sync did for one model: how many files it copied, or why it copied none. */
export type ModelSyncReport = { readonly name: string } & (
  { readonly files: number; readonly bytes: number } | { readonly error: string }
);

/**
 * Copies each named folder model's files from the models bucket into the model dir
 * (`<prefix><name>/<file>` → `<modelDir>/<name>/<file>`), replacing the folder whole: the files
 * land in a fresh folder that is renamed into place. Built-in names are skipped (their files come
 * from the registry). A model with no objects keeps its folder as it is; a model that fails is
 * reported and left out, and the others are still copied.
 */
export async function syncModelFolders(
  names: readonly string[],
  options: ModelSyncOptions,
): Promise<ModelSyncReport[]> {
  const reports: ModelSyncReport[] = [];
  for (const name of names.filter((model) => !isBuiltInModel(model))) {
    try {
      reports.push({ name, ...(await syncModelFolder(name, options)) });
    } catch (error) {
      options.log.error({ model: name, error: describeError(error) }, 'model folder not copied from the models bucket');
      reports.push({ name, error: describeError(error) });
    }
  }
  return reports;
}

/**
 * A tier's start: the served folder models copied from the models bucket, where one is configured.
 * Returns the models a failed copy leaves unavailable (none without a bucket).
 */
export async function syncServedModels(
  config: Pick<ModelConfig, 'models' | 'modelDir' | 'bucket'>,
  s3: S3Client,
  log: Logger,
): Promise<Map<string, ModelContractError>> {
  if (!config.bucket) return new Map();
  const { name: bucket, prefix } = config.bucket;
  return unsyncedModels(await syncModelFolders(config.models, { s3, bucket, prefix, modelDir: config.modelDir, log }));
}

/**
 * The models whose folder was not copied, each unavailable for it: a folder left as it was may
 * not be the one the bucket holds. The reason is generic; the failure's detail was logged.
 */
function unsyncedModels(reports: readonly ModelSyncReport[]): Map<string, ModelContractError> {
  return new Map(
    reports.flatMap((report) =>
      'error' in report ? [[report.name, new ModelContractError(report.name, '', '', UNSYNCED_REASON)] as const] : [],
    ),
  );
}

const UNSYNCED_REASON = 'could not be copied from the models bucket; see the server log';

async function syncModelFolder(name: string, options: ModelSyncOptions): Promise<{ files: number; bytes: number }> {
  const folderPrefix = `${options.prefix}${name}/`;
  const objects = await listFolder(folderPrefix, options);
  if (objects.length === 0) return { files: 0, bytes: 0 };
  const staging = path.join(options.modelDir, `.${name}.${randomUUID()}.part`);
  try {
    await mapWithLimit(objects, 4, async ({ key }) => {
      const target = path.join(staging, ...key.slice(folderPrefix.length).split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      const { Body } = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      await pipeline(Body as Readable, createWriteStream(target));
    });
    const folder = path.join(options.modelDir, name);
    await rm(folder, { recursive: true, force: true });
    await rename(staging, folder);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const bytes = objects.reduce((sum, object) => sum + object.size, 0);
  options.log.info({ model: name, files: objects.length, bytes }, 'model folder copied from the models bucket');
  return { files: objects.length, bytes };
}

/** The files under a model's prefix, within the limits; folder markers left out. */
async function listFolder(
  folderPrefix: string,
  options: ModelSyncOptions,
): Promise<Array<{ key: string; size: number }>> {
  const limits = options.limits ?? DEFAULT_MODEL_FOLDER_LIMITS;
  const objects: Array<{ key: string; size: number }> = [];
  let token: string | undefined;
  do {
    const page = await options.s3.send(
      new ListObjectsV2Command({ Bucket: options.bucket, Prefix: folderPrefix, ContinuationToken: token }),
    );
    for (const { Key, Size } of page.Contents ?? []) {
      if (!Key || Key.endsWith('/')) continue;
      const relative = Key.slice(folderPrefix.length);
      // Keys are the bucket's to choose: none may name a file outside the folder.
      if (relative.split('/').some((part) => part === '' || part === '.' || part === '..')) {
        throw new ModelFolderSyncError(`${Key} is not a file name a model folder may hold`);
      }
      objects.push({ key: Key, size: Size ?? 0 });
    }
    const bytes = objects.reduce((sum, object) => sum + object.size, 0);
    if (objects.length > limits.maxObjects || bytes > limits.maxBytes) {
      throw new ModelFolderSyncError(
        `${folderPrefix} holds more than ${limits.maxObjects} files or ${limits.maxBytes} bytes; a model folder holds a few files`,
      );
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}
