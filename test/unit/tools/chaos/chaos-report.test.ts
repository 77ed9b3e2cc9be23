import type { BurstRecord } from '#tools/chaos/burst.js';
import { parseChaosOptions } from '#tools/chaos/chaos-options.js';
import { assembleChaosReport, type ReportInputs } from '#tools/chaos/chaos-report.js';
import { renderChaosReport } from '#tools/chaos/chaos-text.js';
import type { ReferenceOf } from '#tools/chaos/outcomes.js';
import type { Sighting, UploadRecord } from '#tools/chaos/upload-flows.js';
import { answered, item, jobId } from './fixtures.js';

const MACHINE = { cpus: 2, cpuModel: 'test', memoryGiB: 4, node: 'v24', platform: 'linux x64' };
const referenceOf: ReferenceOf = () => 1;

/** A burst of `records`, whose upload answers are also its sightings. */
function burstOf(records: UploadRecord[], extra: Partial<BurstRecord> = {}): BurstRecord {
  const sightings: Sighting[] = records
    .filter((r) => r.answer)
    .map((r) => ({ upload: r.upload, item: r.answer!, via: 'upload' }));
  return { protocol: 'wait', records, sightings, kills: [], skippedKills: 0, restarts: [], seconds: 10, ...extra };
}

function inputs(burst: BurstRecord, checks: Sighting[] = [], argv: string[] = []): ReportInputs {
  const options = parseChaosOptions(argv, 2);
  return { startedAt: '2026-12-01T16:00:00.000Z', machine: MACHINE, options, burst, checks, referenceOf };
}

describe('assembleChaosReport', () => {
  it('passes a run in which every upload was answered right: counts, latency of the answers, kills', () => {
    // Prepare
    const records = Array.from({ length: 100 }, (_, n) => answered(n, `${n}.JPEG`, 1, n + 1));
    const kills = [
      { atMs: 2000, pid: 7 },
      { atMs: 4000, pid: 8 },
    ];

    // Act
    const report = assembleChaosReport(inputs(burstOf(records, { kills, skippedKills: 1 })));

    // Assess
    expect(report.ok).toBe(true);
    expect(report.figures).toMatchObject({
      uploads: 100,
      answered: 100,
      lost: 0,
      misrouted: 0,
      duplicated: 0,
      checked: 100,
      sends: 100,
      kills: 2,
      killsSkipped: 1,
      latency: { p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 },
    });
    expect(report.problems).toEqual([]);
    expect(renderChaosReport(report)).toContain('verdict      OK');
  });

  it('fails a run with a lost, a misrouted, a wrong and a duplicated job, and names each', () => {
    // Prepare
    const lostLate: UploadRecord = { upload: 1, filename: '1.JPEG', sentAtMs: 0, jobId: jobId(1), sends: 1 };
    const noId: UploadRecord = { upload: 2, filename: '2.JPEG', sentAtMs: 0, error: 'socket hang up', sends: 1 };
    const misrouted: UploadRecord = { ...answered(3, '3.JPEG'), answer: item(3, 'other.JPEG') };
    const records = [answered(0, '0.JPEG'), lostLate, noId, misrouted, answered(4, '4.JPEG', 9)];
    const reclassified = item(0, '0.JPEG', 2);
    const checks: Sighting[] = [
      { upload: 0, item: reclassified, via: 'check' },
      { upload: 1, item: item(1, '1.JPEG'), via: 'check' },
    ];

    // Act
    const report = assembleChaosReport(inputs(burstOf(records), checks));

    // Assess
    expect(report.ok).toBe(false);
    expect(report.figures).toMatchObject({ answered: 1, lost: 2, misrouted: 1, wrong: 1, duplicated: 1 });
    expect(report.figures).toMatchObject({ lostWithJob: 1, finishedLate: 1 });
    expect(report.duplicatedJobs).toEqual([jobId(0)]);
    expect(report.problems.map((p) => [p.upload, p.outcome, p.detail])).toEqual([
      [1, 'lost', 'job not finished within the wait'],
      [2, 'lost', 'no job id: socket hang up'],
      [3, 'misrouted', 'answered with other.JPEG'],
      [4, 'wrong', "class 9 (class 9), not the reference's"],
    ]);
    const text = renderChaosReport(report);
    expect(text).toContain('verdict      FAILED: 2 lost, 1 misrouted, 1 duplicated, 1 wrong');
    expect(text).toContain(`job ${jobId(0)}: duplicated`);
  });

  it('reports the restart, and the sends repeated while the stack was down', () => {
    // Prepare
    const records = [{ ...answered(0, '0.JPEG'), sends: 3 }];
    const restarts = [{ atMs: 5000, downMs: 8000, workersBackMs: 11_000 }];

    // Act
    const report = assembleChaosReport(
      inputs(burstOf(records, { protocol: 'poll', restarts }), [], ['--restart-at', '1']),
    );

    // Assess
    expect(report.figures).toMatchObject({ restarts: 1, sends: 3 });
    const text = renderChaosReport(report);
    expect(text).toContain('POST ?wait=0, then polling by id');
    expect(text).toContain('restart      at 5.0 s: web tier back after 8.0 s, workers after 11.0 s');
    expect(text).toContain('sends        3 (2 sent again: refused or cut off by the restart)');
  });
});
