import type { RestartPoint } from './chaos-options.js';
import type { Restart } from './chaos-target.js';

/**
 * When the one restart of a run happens: once the N-th upload is sent, or S seconds after `start`.
 * A point the burst does not reach (it ended sooner) means no restart.
 */
export class RestartPlan {
  private uploads = 0;
  private timer?: NodeJS.Timeout;
  private restart?: Promise<Restart>;

  constructor(
    private readonly point: RestartPoint | undefined,
    private readonly doRestart: () => Promise<Restart>,
  ) {}

  start(): void {
    if (this.point && 'afterSeconds' in this.point)
      this.timer = setTimeout(() => this.fire(), this.point.afterSeconds * 1000);
  }

  /** Told of each upload's first send. */
  countUpload(): void {
    this.uploads++;
    if (this.point && 'afterUploads' in this.point && this.uploads === this.point.afterUploads) this.fire();
  }

  /** No restart starts from now on; the restart that happened (once it is over), if any. */
  async finish(): Promise<Restart[]> {
    clearTimeout(this.timer);
    return this.restart ? [await this.restart] : [];
  }

  private fire(): void {
    if (this.restart) return;
    this.restart = this.doRestart();
    // Awaited by finish(); until then a failure must not count as unhandled.
    this.restart.catch(() => undefined);
  }
}
