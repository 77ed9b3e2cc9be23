import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/** A `.cpuprofile` (Chrome DevTools, speedscope) and the process that wrote it. */
export interface ProfileFile {
  readonly process: string;
  readonly file: string;
}

/** The bare run's profile, beside the stack's. */
export const BARE_PROFILE = 'bare.cpuprofile';

/** Runs `work` under the V8 sampling profiler of this process and writes the profile to `file`, if given. */
export async function withCpuProfile<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(profile));
  }
}

/**
 * The profiles written to a folder since `since` (epoch ms; older runs' stay out), each named by its
 * process: `node --cpu-prof` names a file `CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile`,
 * and the stack's pid tells it from its workers.
 */
export async function listProfiles(folder: string, stackPid: number, since: number): Promise<ProfileFile[]> {
  const names = (await readdir(folder).catch(() => [])).filter((name) => name.endsWith('.cpuprofile')).sort();
  const fresh = await Promise.all(names.map(async (name) => (await stat(path.join(folder, name))).mtimeMs >= since));
  return names
    .filter((_, n) => fresh[n])
    .map((name) => ({
      process: name === BARE_PROFILE ? 'bare' : profilePid(name) === stackPid ? 'stack' : 'worker',
      file: path.join(folder, name),
    }));
}

function profilePid(name: string): number | undefined {
  const pid = name.split('.')[3];
  return pid === undefined ? undefined : Number(pid);
}
