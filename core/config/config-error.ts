import type { z } from 'zod';

/** Raised once, at start-up, when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly section: string,
    readonly issues: readonly string[],
  ) {
    super(`Invalid ${section} configuration:\n  - ${issues.join('\n  - ')}`);
  }

  static fromZod(section: string, error: z.ZodError): ConfigError {
    return new ConfigError(
      section,
      error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
}
