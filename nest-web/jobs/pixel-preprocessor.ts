import type { WebConfig } from '#core/config/web-config.js';
import type { JobMessage } from '#core/contracts/job-message.js';
import { ImageDecodeError } from '#core/inference/errors.js';
import { decodeToRgbSquare, type DecodeLimits, type PreprocessSpec } from '#core/inference/preprocess.js';
import { modelSpec } from '#core/models/registry.js';

/** An upload decoded to the model's input square, and the contract it was cut to. */
export interface ModelPixels {
  readonly rgb: Buffer;
  readonly contract: NonNullable<JobMessage['pixels']>;
}

/**
 * With `GLIMPSE_PREPROCESS_AT=web`, decodes each upload to the model's input square on the web tier
 * (our own hardware), so that the paid workers only normalise and infer. It runs the very code the
 * worker would (core/inference), so predictions are identical.
 */
export class PixelPreprocessor {
  constructor(
    private readonly spec: PreprocessSpec | undefined,
    private readonly limits: DecodeLimits,
  ) {}

  static forConfig(config: Pick<WebConfig, 'preprocessAt' | 'model' | 'maxInputPixels'>): PixelPreprocessor {
    const spec = config.preprocessAt === 'web' ? modelSpec(config.model) : undefined;
    return new PixelPreprocessor(spec, { maxInputPixels: config.maxInputPixels });
  }

  /**
   * The spooled upload at `file` as model-ready pixels; undefined when preprocessing is the
   * worker's, or when the image does not decode (the worker then tries the original and answers
   * the job's failure).
   */
  async pixelsFor(file: string): Promise<ModelPixels | undefined> {
    const { spec } = this;
    if (!spec) return undefined;
    try {
      // core's decoder takes bytes, not a path: the file (at most GLIMPSE_MAX_UPLOAD_BYTES) is read for the decode.
      const rgb = await decodeToRgbSquare(file, spec, this.limits);
      return { rgb, contract: { size: spec.inputSize, resize: spec.resizeShorterSide } };
    } catch (error) {
      if (error instanceof ImageDecodeError) return undefined;
      throw error;
    }
  }
}
