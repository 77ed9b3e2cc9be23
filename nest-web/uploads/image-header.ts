import sharp from 'sharp';

/** Width and height in pixels, as an image's header declares them. */
export interface DeclaredSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The size an image file's header declares. sharp reads only the header here, so a decompression
 * bomb costs nothing to measure. Undefined when no header is readable: the worker, which decodes,
 * then answers the job as failed.
 */
export async function declaredSize(file: string): Promise<DeclaredSize | undefined> {
  try {
    const { width, height } = await sharp(file, { limitInputPixels: false }).metadata();
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}
