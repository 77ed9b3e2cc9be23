/** One `kill -9` of a worker: when (ms since the burst began) and which process. */
export interface Kill {
  readonly atMs: number;
  readonly pid: number;
}

/** What the killer needs: the live workers, a way to kill one, and chance. */
export interface KillerDeps {
  workerPids(): Promise<number[]>;
  /** SIGKILL; throws when the process is already gone. */
  kill(pid: number): void;
  /** A number in [0, 1), as Math.random gives. */
  random(): number;
  /** Milliseconds since the burst began. */
  now(): number;
}

/**
 * Every `everyMs` (the first at half that), `kill -9` of a random live worker process, as long as it runs and is not paused
 * (the stack is restarting). A tick that finds no worker, or whose worker exited meanwhile, is
 * counted as skipped; a tick never overlaps the one before.
 */
export class WorkerKiller {
  readonly kills: Kill[] = [];
  skipped = 0;
  private timer?: NodeJS.Timeout;
  private paused = false;
  private stopped = false;
  private tick?: Promise<unknown>;

  constructor(
    private readonly everyMs: number,
    private readonly deps: KillerDeps,
  ) {}

  /** The first kill half an interval in (a burst shorter than one interval still sees one), then every interval. */
  start(): void {
    if (this.everyMs <= 0 || this.timer) return;
    const onTick = () => {
      if (!this.paused && !this.tick) this.tick = this.killOne().finally(() => (this.tick = undefined));
    };
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      this.timer = setInterval(onTick, this.everyMs);
      onTick();
    }, this.everyMs / 2);
  }

  /** Stops killing until `resume` (and waits for a kill under way). */
  async pause(): Promise<void> {
    this.paused = true;
    await this.tick;
  }

  resume(): void {
    this.paused = false;
  }

  /** Stops for good, once a kill under way is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.timer);
    await this.tick;
  }

  /** Kills one random live worker; false when there was none to kill. */
  async killOne(): Promise<boolean> {
    const pids = await this.deps.workerPids();
    const pid = pids[Math.floor(this.deps.random() * pids.length)];
    if (pid === undefined || this.paused) return this.skip();
    try {
      this.deps.kill(pid);
    } catch {
      return this.skip();
    }
    this.kills.push({ atMs: this.deps.now(), pid });
    return true;
  }

  private skip(): false {
    this.skipped++;
    return false;
  }
}
