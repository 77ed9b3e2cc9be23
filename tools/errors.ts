import { GlimpseError } from '#core/errors.js';

/** The base of every error the tools (`npm run load`, `npm run simulate`) throw on purpose. */
export class ToolError extends GlimpseError {}

/** The command line (or a file it names) does not describe a run; the CLI exits with status 2. */
export class UsageError extends ToolError {}

/** A chart could not be rendered (an invalid Vega-Lite spec, or Vega failing to lay it out). */
export class ChartError extends ToolError {}

/** A local stack a tool started (bench, chaos) did not come up, did not get its workers ready, or did not stop. */
export class StackError extends ToolError {}
