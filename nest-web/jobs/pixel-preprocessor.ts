import type { WebConfig } from '#core/config/web-config.js';
import type { JobMessage } from '#core/contracts/job-message.js';
import { ImageDecodeError } from '#core/inference/errors.js';
import { decodeToRgbSquare, type CropSpec, type DecodeLimits } from '#core/inference/preprocess.js';

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
    /** Whether uploads are decoded here (`GLIMPSE_PREPROCESS_AT=web`). */
    private readonly enabled: boolean,
    private readonly limits: DecodeLimits,
  ) {}

  static forConfig(config: Pick<WebConfig, 'preprocessAt' | 'maxInputPixels'>): PixelPreprocessor {
    return new PixelPreprocessor(config.preprocessAt === 'web', { maxInputPixels: config.maxInputPixels });
  }

  /**
   * The spooled upload at `file` as pixels cut to `spec`, the crop of the job's model; undefined
   * when preprocessing is the worker's, or when the image does not decode (the worker then tries
   * the original and answers the job's failure).
   */
  async pixelsFor(file: string, spec: CropSpec): Promise<ModelPixels | undefined> {
    if (!this.enabled) return undefined;
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
