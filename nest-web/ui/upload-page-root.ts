import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder the upload page is served from: `dist/nest-web/ui/public` under the package root, the
 * build's output (the compiled browser script beside the copied HTML, CSS and favicon). The same
 * folder whether this module runs compiled (`npm start`, from dist/) or from source (jest via swc),
 * because the source folder holds no compiled script. The package root is the nearest folder above
 * this module with a package.json (a deployed tarball has dist/ beside it too).
 */
export function uploadPageRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'nest-web', 'ui', 'public');
    if (path.dirname(dir) === dir) return path.join(start, 'public');
  }
}
