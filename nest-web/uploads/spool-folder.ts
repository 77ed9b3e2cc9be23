import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

const PREFIX = 'glimpse-uploads-';
const OWNER = new RegExp(`^${PREFIX}(\\d+)-`);

/**
 * This web app's folder of spooled uploads, `glimpse-uploads-<pid>-<random>` under the OS temporary
 * folder (the Heat install's systemd unit gives it a private /tmp), holding the files of every
 * request in flight side by side (no folder per request: making and sweeping one cost more than
 * the file's own writes). Removals of files are tracked so that a clean stop waits for them;
 * folders of processes that died without cleaning up (killed, crashed) are removed at the next start.
 */
export class SpoolFolder implements OnModuleInit, OnApplicationShutdown {
  readonly path: string;
  private readonly removals = new Set<Promise<void>>();
  private made?: Promise<string>;

  constructor(private readonly parent: string = os.tmpdir()) {
    this.path = path.join(parent, `${PREFIX}${process.pid}-${randomUUID().slice(0, 8)}`);
  }

  /** The folder, made at the first use; made again after {@link forget} (it was removed under us). */
  ready(): Promise<string> {
    this.made ??= mkdir(this.path, { recursive: true }).then(
      () => this.path,
      (error: unknown) => {
        this.made = undefined;
        throw error;
      },
    );
    return this.made;
  }

  /** The folder is gone (a write found no folder): the next {@link ready} makes it again. */
  forget(): void {
    this.made = undefined;
  }

  /** Removes files of a request now; a failure leaves files the next start sweeps. */
  remove(files: readonly string[]): void {
    const removal = Promise.all(files.map((file) => rm(file, { force: true }))).then(
      () => undefined,
      () => undefined,
    );
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
