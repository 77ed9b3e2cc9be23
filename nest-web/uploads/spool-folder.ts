import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

const PREFIX = 'glimpse-uploads-';
const OWNER = new RegExp(`^${PREFIX}(\\d+)-`);

/**
 * This web app's folder of request spools, `glimpse-uploads-<pid>-<random>` under the OS temporary
 * folder (the Heat install's systemd unit gives it a private /tmp). Removals of request folders
 * are tracked so that a clean stop waits for them; folders of processes that died without
 * cleaning up (killed, crashed) are removed at the next start.
 */
export class SpoolFolder implements OnModuleInit, OnApplicationShutdown {
  readonly path: string;
  private readonly removals = new Set<Promise<void>>();

  constructor(private readonly parent: string = os.tmpdir()) {
    this.path = path.join(parent, `${PREFIX}${process.pid}-${randomUUID().slice(0, 8)}`);
  }

  /** Removes a request's folder now; a failure leaves a folder the next start sweeps. */
  remove(folder: string): void {
    const removal = rm(folder, { recursive: true, force: true }).catch(() => undefined);
    this.removals.add(removal);
    void removal.finally(() => this.removals.delete(removal));
  }

  async onModuleInit(): Promise<void> {
    const names = await readdir(this.parent).catch(() => [] as string[]);
    const orphans = names.filter((name) => {
      const owner = Number(OWNER.exec(name)?.[1]);
      return owner > 0 && owner !== process.pid && !isAlive(owner);
    });
    await Promise.all(orphans.map((name) => rm(path.join(this.parent, name), { recursive: true, force: true })));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.removals);
    await rm(this.path, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
