import { jest } from '@jest/globals';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useTempFolder } from './temp-folder.js';
import { readRssMiB, RssSampler, thirdsOf } from '#tools/shared/process-memory.js';

describe('process memory from /proc', () => {
  const fakeProc = useTempFolder('glimpse-fake-proc-');
  let proc: string;

  beforeEach(() => {
    proc = fakeProc();
  });

  async function fakeProcess(pid: number, rssKiB: number, children: number[] = []) {
    await mkdir(path.join(proc, String(pid), 'task', String(pid)), { recursive: true });
    await writeFile(path.join(proc, String(pid), 'status'), `Name:\tnode\nVmHWM:\t999999 kB\nVmRSS:\t${rssKiB} kB\n`);
    await writeFile(path.join(proc, String(pid), 'task', String(pid), 'children'), children.join(' '));
  }

  it('reads VmRSS in MiB, not the high-water mark', async () => {
    await fakeProcess(42, 300 * 1024);

    expect(await readRssMiB(42, proc)).toBe(300);
  });

  it('refuses a status without VmRSS (a kernel thread, or not Linux)', async () => {
    await mkdir(path.join(proc, '7'));
    await writeFile(path.join(proc, '7', 'status'), 'Name:\tkthreadd\n');

    await expect(readRssMiB(7, proc)).rejects.toThrow(RangeError);
  });

  it.each([
    ['flat', [100, 100, 100, 100, 100, 100], 100, 100, 0],
    ['growing by a fifth', [100, 100, 110, 110, 120, 120], 100, 120, 20],
    ['the middle third counts in neither', [200, 200, 900, 900, 190, 190], 200, 190, -5],
    ['a leftover sample goes to the middle', [100, 100, 500, 100, 100, 100, 110], 100, 105, 5],
  ])('compares the first and last thirds: %s', (_case, series, first, last, changePct) => {
    const thirds = thirdsOf(42, 'worker', series);

    expect(thirds.firstThirdMiB).toBeCloseTo(first);
    expect(thirds.lastThirdMiB).toBeCloseTo(last);
    expect(thirds.changePct).toBeCloseTo(changePct);
    expect(thirds.peakMiB).toBe(Math.max(...series));
    expect(thirds.seriesMiB).toEqual(series);
    expect(thirds.samples).toBe(series.length);
  });

  describe('RssSampler', () => {
    afterEach(() => jest.useRealTimers());

    it('samples the stack and each child; a worker that exits keeps its samples, too few say nothing', async () => {
      // Prepare
      await fakeProcess(42, 400 * 1024, [43, 44]);
      await fakeProcess(43, 250 * 1024);
      await fakeProcess(44, 260 * 1024);
      const sampler = new RssSampler(42, proc);

      // Act: six samples; worker 44 exits after the second, worker 43 grows from the fifth.
      for (let sample = 1; sample <= 6; sample++) {
        await sampler.sample();
        if (sample === 2) {
          await fakeProcess(42, 400 * 1024, [43]);
          await rm(path.join(proc, '44'), { recursive: true });
        }
        if (sample === 4) await fakeProcess(43, 300 * 1024);
      }
      const figures = await sampler.stop();

      // Assess
      expect(figures.map((figure) => [figure.pid, figure.role, figure.samples])).toEqual([
        [42, 'stack', 6],
        [43, 'worker', 6],
      ]);
      expect(figures[1]!.seriesMiB).toEqual([250, 250, 250, 250, 300, 300]);
      expect(figures[1]!.changePct).toBeCloseTo(20);
    });

    it('samples at once, then every interval, until stopped', async () => {
      // Prepare
      jest.useFakeTimers();
      const sampler = new RssSampler(42, proc, 1_000);
      const sample = jest.spyOn(sampler, 'sample').mockResolvedValue();

      // Act
      sampler.start();
      jest.advanceTimersByTime(3_000);
      await sampler.stop();
      jest.advanceTimersByTime(5_000);

      // Assess
      expect(sample).toHaveBeenCalledTimes(4);
    });
  });
});
