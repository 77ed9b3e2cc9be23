import type { WebConfig } from '#core/config/web-config.js';
import type { ResourceNames } from '#core/config/resource-names.js';

/** The validated web-tier configuration, in the words of the routes that use it. */
export class WebConfigService {
  constructor(private readonly config: WebConfig) {}

  /** Queue and bucket names. */
  get names(): ResourceNames {
    return this.config.names;
  }

  /** This process's name, part of its response queue's name. */
  get instanceId(): string {
    return this.config.instanceId;
  }

  /** Seconds `POST /v1/classifications` waits when the request names no `?wait=`. */
  get defaultWaitSeconds(): number {
    return this.config.defaultWaitSeconds;
  }

  /** Largest accepted `?wait=`, seconds. */
  get maxWaitSeconds(): number {
    return this.config.maxWaitSeconds;
  }

  /** Whether `POST /` asks for an API key when keys are configured (env `GLIMPSE_CSE546_REQUIRES_KEY`). */
  get cse546RequiresKey(): boolean {
    return this.config.edge.cse546RequiresKey;
  }

  /** Seconds the CSE546 route holds a request before 504 (env `GLIMPSE_CSE546_TIMEOUT_SECONDS`). */
  get cse546TimeoutSeconds(): number {
    return this.config.cse546TimeoutSeconds;
  }
}
