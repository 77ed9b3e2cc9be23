const MAX_LENGTH = 255;

/**
 * Turns a client's file name into a safe display name: no directories, no control or
 * bidirectional-override characters, at most 255 characters. It is never used as a storage key.
 */
export function sanitizeFilename(original: string | undefined): string {
  const base = (original ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, MAX_LENGTH);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload' : cleaned;
}

/** The file name without its last extension (`photo.v2.jpg` → `photo.v2`). */
export function stripExtension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(0, dot) : filename;
}
