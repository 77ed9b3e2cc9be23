import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SpoolFolder } from '#web/uploads/spool-folder.js';

/** A process id that no process holds (above the kernel's pid_max). */
const DEAD_PID = 4_194_305;

describe('SpoolFolder', () => {
  let parent: string;
  beforeEach(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'glimpse-unit-spool-folder-'));
  });
  afterEach(async () => rm(parent, { recursive: true, force: true }));

  it('is named after this process, one per app', () => {
    // Act
    const [first, second] = [new SpoolFolder(parent), new SpoolFolder(parent)];

    // Assess
    expect(path.basename(first.path)).toMatch(new RegExp(`^glimpse-uploads-${process.pid}-[0-9a-f]{8}$`));
    expect(first.path).not.toBe(second.path);
  });

  it('sweeps at start the folders of processes that died, and only those', async () => {
    // Prepare
    const names = [
      `glimpse-uploads-${DEAD_PID}-deadbeef`,
      `glimpse-uploads-${process.ppid}-0a1b2c3d`,
      `glimpse-uploads-${process.pid}-12345678`,
      'someone-elses-folder',
    ];
    for (const name of names) {
      await mkdir(path.join(parent, name, 'request-x'), { recursive: true });
      await writeFile(path.join(parent, name, 'request-x', '0'), 'bytes');
    }

    // Act
    await new SpoolFolder(parent).onModuleInit();

    // Assess
    expect((await readdir(parent)).sort()).toEqual(names.slice(1).sort());
  });

  it('at a clean stop, waits for files still being removed, then removes itself', async () => {
    // Prepare
    const folder = new SpoolFolder(parent);
    const files = [path.join(await folder.ready(), 'request-1-0'), path.join(folder.path, 'request-1-1')];
    for (const file of files) await writeFile(file, Buffer.alloc(1024));
    folder.remove(files);

    // Act
    await folder.onApplicationShutdown();

    // Assess
    expect(await readdir(parent)).toEqual([]);
  });

  it('makes itself once, and again after a write found it gone', async () => {
    // Prepare
    const folder = new SpoolFolder(parent);
    await folder.ready();
    await rm(folder.path, { recursive: true });

    // Act
    const stale = await folder.ready();
    const staleExists = await readdir(stale).then(
      () => true,
      () => false,
    );
    folder.forget();
    await folder.ready();

    // Assess
    expect(staleExists).toBe(false);
    expect(await readdir(folder.path)).toEqual([]);
  });
});
