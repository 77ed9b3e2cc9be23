import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { LabelFileError } from '../errors.js';
import { ModelContractError } from './errors.js';
import { parseLabelFile, type ClassLabel } from './labels.js';
import { modelContractSchema, type ModelContract } from './model-contract.js';

/** The file that holds a model folder's contract. */
export const MODEL_JSON = 'model.json';

/** Where a served model comes from: generated from the registry, or a folder someone provided. */
export type ModelSource = 'built-in' | 'folder';

/** A model folder read and checked: its contract, its files, its labels and the ONNX file's digest. */
export interface ModelFolder {
  readonly name: string;
  readonly source: ModelSource;
  readonly contract: ModelContract;
  /** Absolute path of the ONNX file. */
  readonly weightsPath: string;
  readonly labels: readonly ClassLabel[];
  /** Lower-case hex sha256 of the ONNX file. */
  readonly sha256: string;
}

/**
 * Reads the model folder `dir` of the model `name`: model.json validated, its name equal to the
 * folder's, the ONNX file present, the labels parsed. Every failure is a {@link ModelContractError}
 * naming the file and the field. The ONNX graph itself is checked where it is opened (core/inference).
 */
export async function readModelFolder(dir: string, name: string, source: ModelSource): Promise<ModelFolder> {
  const contract = await readContract(dir, name);
  const weightsPath = await folderFile(dir, name, contract.file, 'file');
  const labelsPath = await folderFile(dir, name, contract.labels, 'labels');
  const labelText = await readFile(labelsPath, 'utf8').catch((error: unknown) => {
    throw unreadableFile(name, contract.labels, error);
  });
  let labels: ClassLabel[];
  try {
    labels = parseLabelFile(labelText, contract.labelFormat);
  } catch (error) {
    if (!(error instanceof LabelFileError)) throw error;
    throw new ModelContractError(name, contract.labels, '', error.message, { cause: error });
  }
  const sha256 = await sha256Of(weightsPath).catch((error: unknown) => {
    throw unreadableFile(name, contract.file, error);
  });
  return { name, source, contract, weightsPath, labels, sha256 };
}

/**
 * A file of the folder that is there but cannot be read. Its reason names the file as the folder
 * does and the error's code, never the error's text: that names the file by its path on this host.
 */
function unreadableFile(name: string, file: string, error: unknown): ModelContractError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const shown = typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : '';
  return new ModelContractError(name, file, '', `cannot be read${shown}`, { cause: error });
}

/** model.json parsed and validated; its name must be the folder's. */
async function readContract(dir: string, name: string): Promise<ModelContract> {
  const text = await readFile(path.join(dir, MODEL_JSON), 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadableFile(name, MODEL_JSON, error);
    throw new ModelContractError(name, MODEL_JSON, '', 'missing from the model folder', { cause: error });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // The parser's words (where it broke) are in the cause, for the log.
    throw new ModelContractError(name, MODEL_JSON, '', 'not readable JSON', { cause: error });
  }
  const parsed = modelContractSchema.safeParse(json);
  if (!parsed.success) throw contractError(name, parsed.error);
  if (parsed.data.name !== name) {
    throw new ModelContractError(name, MODEL_JSON, 'name', `"${parsed.data.name}" differs from its folder's name`);
  }
  return parsed.data;
}

/** The first problem zod found names the field; the others follow in the detail. */
function contractError(name: string, error: z.ZodError): ModelContractError {
  const [first, ...others] = error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
  const more = others.map((issue) => `; ${issue.field || '(root)'}: ${issue.message}`).join('');
  return new ModelContractError(name, MODEL_JSON, first?.field ?? '', `${first?.message ?? 'invalid'}${more}`);
}

/** The absolute path of a file model.json names, which must be a file inside the folder. */
async function folderFile(dir: string, name: string, file: string, field: 'file' | 'labels'): Promise<string> {
  const resolved = path.resolve(dir, file);
  if (path.relative(dir, resolved).startsWith('..')) {
    throw new ModelContractError(name, MODEL_JSON, field, `${file} is outside the model folder`);
  }
  const info = await stat(resolved).catch(() => undefined);
  if (!info?.isFile())
    throw new ModelContractError(name, MODEL_JSON, field, `${file} is not a file in the model folder`);
  return resolved;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
