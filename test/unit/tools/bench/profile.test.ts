import { readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listProfiles, withCpuProfile } from '#tools/bench/profile.js';
import { useTempFolder } from '../shared/temp-folder.js';

describe('profiles', () => {
  const profiles = useTempFolder('glimpse-profiles-');
  let folder: string;

  beforeEach(() => {
    folder = profiles();
  });

  it("names each of this run's profiles by its process, by the pid in node's file name", async () => {
    // Prepare
    const since = Date.now() - 1000;
    for (const name of [
      'bare.cpuprofile',
      'CPU.20260101.120000.500.0.001.cpuprofile',
      'CPU.20260101.120001.501.0.001.cpuprofile',
      'notes.txt',
    ])
      await writeFile(path.join(folder, name), '{}');
    const earlier = path.join(folder, 'CPU.20250101.120000.400.0.001.cpuprofile');
    await writeFile(earlier, '{}');
    await utimes(earlier, new Date(since - 60_000), new Date(since - 60_000));

    // Act
    const listed = await listProfiles(folder, 500, since);

    // Assess
    expect(listed).toEqual([
      { process: 'stack', file: path.join(folder, 'CPU.20260101.120000.500.0.001.cpuprofile') },
      { process: 'worker', file: path.join(folder, 'CPU.20260101.120001.501.0.001.cpuprofile') },
      { process: 'bare', file: path.join(folder, 'bare.cpuprofile') },
    ]);
  });

  it('writes the profile of work in this process', async () => {
    // Prepare
    const file = path.join(folder, 'deeper', 'bare.cpuprofile');

    // Act
    const result = await withCpuProfile(file, async () => 42);

    // Assess
    expect(result).toBe(42);
    const profile = JSON.parse(await readFile(file, 'utf8')) as { nodes: unknown[]; startTime: number };
    expect(profile.nodes.length).toBeGreaterThan(0);
  });
});
