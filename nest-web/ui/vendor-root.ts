import { createRequire } from 'node:module';
import path from 'node:path';

/** URL path the dashboard loads uPlot from. */
export const UPLOT_PATH = '/vendor/uplot';

/**
 * uPlot's built files (`uPlot.iife.min.js`, `uPlot.min.css`), served as they are installed: the
 * folder of the package's main file, wherever node_modules is (source, dist/ or a deployed tarball).
 */
export function uplotRoot(): string {
  return path.dirname(createRequire(import.meta.url).resolve('uplot'));
}
