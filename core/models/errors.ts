import { GlimpseError } from '../errors.js';

/**
 * A model that cannot be served as its folder describes it: model.json invalid, a file missing, the
 * labels or the ONNX graph disagreeing with the contract. The message names the model's file and
 * the field (`pets/model.json: input.name: …`), never a host path; it is what the API shows.
 */
export class ModelContractError extends GlimpseError {
  constructor(
    readonly model: string,
    /** The file at fault, relative to the model folder (`model.json`, `labels.txt`, `model.onnx`). */
    readonly file: string,
    /** The model.json field at fault, dotted (`input.name`); empty when the file itself is. */
    readonly field: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${model}${file ? `/${file}` : ''}: ${field ? `${field}: ` : ''}${detail}`, options);
  }
}

/**
 * The models bucket holds under a model's prefix what a model folder may not: more files or bytes
 * than the limits, or a key that names no file inside the folder.
 */
export class ModelFolderSyncError extends GlimpseError {}
