import { duplicatedJobs, finishedLate, outcomeOf, type ReferenceOf } from '#tools/chaos/outcomes.js';
import type { Sighting, UploadRecord } from '#tools/chaos/upload-flows.js';
import { answered, item, jobId } from './fixtures.js';

/** The reference says class 1 for every image of the mobilenet model, and knows nothing of other models. */
const referenceOf: ReferenceOf = (_filename, model) => (model === 'mobilenetv2-12-int8' ? 1 : undefined);

describe('outcomeOf', () => {
  const cases: Array<[string, UploadRecord, string]> = [
    ['its own image, done, agreeing with the reference', answered(0, 'a.JPEG', 1), 'answered'],
    ['done with another class than the reference', answered(0, 'a.JPEG', 7), 'wrong'],
    [
      'done by a model the reference does not know (unchecked)',
      { ...answered(0, 'a.JPEG', 7), answer: { ...item(0, 'a.JPEG', 7), model: 'other' } },
      'answered',
    ],
    ['failed', { ...answered(0, 'a.JPEG'), answer: item(0, 'a.JPEG', 1, 'failed') }, 'wrong'],
    ['an answer naming another image', answered(0, 'b.JPEG'), 'misrouted'],
    [
      'a job not finished within the wait',
      { upload: 0, filename: 'a.JPEG', sentAtMs: 0, jobId: jobId(0), sends: 1 },
      'lost',
    ],
    ['a dropped connection', { upload: 0, filename: 'a.JPEG', sentAtMs: 0, error: 'socket hang up', sends: 1 }, 'lost'],
    [
      'an HTTP refusal',
      { upload: 0, filename: 'a.JPEG', sentAtMs: 0, refusal: { status: 500, text: 'oops' }, sends: 1 },
      'rejected',
    ],
  ];

  it.each(cases)('calls %s %s', (_case, record, outcome) => {
    // Prepare: the misrouted case sent a.JPEG and was answered about b.JPEG.
    const sent = { ...record, filename: 'a.JPEG' };

    // Act, Assess
    expect(outcomeOf(sent, referenceOf)).toBe(outcome);
  });
});

describe('duplicatedJobs', () => {
  const seen = (upload: number, view: Sighting['item'], via: Sighting['via'] = 'upload'): Sighting => ({
    upload,
    item: view,
    via,
  });

  it('finds none when every view of a job agrees (a queued view first, the same result on the check)', () => {
    expect(
      duplicatedJobs([
        seen(0, item(0, 'a.JPEG', 1, 'queued')),
        seen(0, item(0, 'a.JPEG', 1), 'poll'),
        seen(0, item(0, 'a.JPEG', 1), 'check'),
        seen(1, item(1, 'b.JPEG', 2)),
      ]),
    ).toEqual([]);
  });

  it('finds a job whose stored result differs from its answer (classified twice)', () => {
    // Prepare
    const again = item(0, 'a.JPEG', 1);
    const reclassified = { ...again, result: { ...again.result!, confidence: 0.8 } };

    // Act, Assess
    expect(duplicatedJobs([seen(0, item(0, 'a.JPEG', 1)), seen(0, reclassified, 'check')])).toEqual([jobId(0)]);
  });

  it('finds a job id given to two uploads', () => {
    expect(duplicatedJobs([seen(0, item(5, 'a.JPEG')), seen(1, item(5, 'a.JPEG'))])).toEqual([jobId(5)]);
  });
});

describe('finishedLate', () => {
  it('counts the lost uploads whose job the check found finished', () => {
    // Prepare
    const lost = (n: number): UploadRecord => ({
      upload: n,
      filename: 'a.JPEG',
      sentAtMs: 0,
      jobId: jobId(n),
      sends: 1,
    });
    const checks: Sighting[] = [
      { upload: 0, item: item(0, 'a.JPEG'), via: 'check' },
      { upload: 1, item: item(1, 'a.JPEG', 1, 'queued'), via: 'check' },
      { upload: 2, item: item(2, 'a.JPEG'), via: 'check' },
    ];

    // Act, Assess
    expect(finishedLate([lost(0), lost(1), answered(2, 'a.JPEG')], checks)).toBe(1);
  });
});
