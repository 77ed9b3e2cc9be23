import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useTempFolder } from './temp-folder.js';
import { childPids, cpuPerImage, readCpuMs, readProcessTreeCpu } from '#tools/shared/process-cpu.js';

/** A /proc stat line: pid, (comm), state, then fields 4–13 as ones, utime (14) and stime (15), and more. */
const statLine = (pid: number, comm: string, utime: number, stime: number) =>
  `${pid} (${comm}) S ${Array(10).fill(1).join(' ')} ${utime} ${stime} 0 0 20 0 11 0 1234\n`;

describe('process CPU from /proc', () => {
  const fakeProc = useTempFolder('glimpse-fake-proc-');
  let proc: string;

  beforeEach(() => {
    proc = fakeProc();
  });

  async function fakeProcess(pid: number, comm: string, utime: number, stime: number, children: number[] = []) {
    await mkdir(path.join(proc, String(pid), 'task', String(pid)), { recursive: true });
    await writeFile(path.join(proc, String(pid), 'stat'), statLine(pid, comm, utime, stime));
    await writeFile(
      path.join(proc, String(pid), 'task', String(pid), 'children'),
      children.map((c) => `${c} `).join(''),
    );
  }

  it('reads utime + stime in ms, whatever the command name holds', async () => {
    // Prepare
    await fakeProcess(42, 'node) (x y', 150, 50);

    // Act
    const ms = await readCpuMs(42, proc, 100);

    // Assess
    expect(ms).toBe(2000);
    expect(await readCpuMs(42, proc, 250)).toBe(800);
  });

  it('lists the children of the main thread', async () => {
    await fakeProcess(42, 'node', 0, 0, [43, 44]);

    expect(await childPids(42, proc)).toEqual([43, 44]);
  });

  it('reads the stack and its workers, leaving out a worker that is gone', async () => {
    // Prepare
    await fakeProcess(42, 'node', 100, 20, [43, 44, 45]);
    await fakeProcess(43, 'node', 300, 10);
    await fakeProcess(44, 'node', 200, 0);

    // Act
    const tree = await readProcessTreeCpu(42, proc, 100);

    // Assess
    expect(tree).toEqual({
      stackMs: 1200,
      workerMs: new Map([
        [43, 3100],
        [44, 2000],
      ]),
    });
  });

  it('is undefined where /proc holds no such process (not Linux)', async () => {
    expect(await readProcessTreeCpu(7, proc, 100)).toBeUndefined();
  });
});

describe('cpuPerImage', () => {
  it('divides each process delta by the images; a worker started meanwhile counts from zero', () => {
    // Prepare
    const before = { stackMs: 1000, workerMs: new Map([[43, 500]]) };
    const after = {
      stackMs: 2200,
      workerMs: new Map([
        [43, 2500],
        [44, 800],
      ]),
    };

    // Act
    const cpu = cpuPerImage(before, after, 100);

    // Assess
    expect(cpu.stack).toBe(12);
    expect(cpu.workers.map(({ pid, ms }) => `${pid}: ${ms}`)).toEqual(['43: 20', '44: 8']);
    expect([cpu.workersSum, cpu.total]).toEqual([28, 40]);
  });
});
