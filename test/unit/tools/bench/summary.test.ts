import type { AnswerKey } from '#tools/shared/answer-key.js';
import { checkAnswers, failed, ratio, summarisePhase, timing, type Outcome } from '#tools/bench/summary.js';

const outcome = (filename: string, fields: Partial<Outcome> = {}): Outcome => ({
  filename,
  status: 200,
  index: 1,
  namesOwnImage: true,
  ms: 100,
  ...fields,
});

const key: AnswerKey = new Map([
  ['a.jpg', { reference: 1, right: 1 }],
  ['b.jpg', { reference: 2, right: 3 }],
]);

describe('timing', () => {
  it('gives images/s and the nearest-rank p50 and p95', () => {
    const figures = timing([10, 20, 30, 40], 2);

    expect(figures).toEqual({ images: 4, seconds: 2, imagesPerSecond: 2, p50Ms: 20, p95Ms: 40 });
  });
});

describe('checkAnswers', () => {
  it('counts agreement with the reference and accuracy against the true class by index', () => {
    // Act
    const check = checkAnswers([outcome('a.jpg'), outcome('b.jpg', { index: 2 }), outcome('c.jpg')], key);

    // Assess: b agrees with the reference, which is itself wrong; c is not in the key.
    expect(check).toEqual({
      answers: 3,
      errors: 0,
      errorStatuses: {},
      firstError: undefined,
      misnamed: 0,
      checked: 2,
      agreementPct: 100,
      accuracyPct: 50,
      disagreements: [],
    });
    expect(failed(check)).toBe(false);
  });

  it('names each disagreeing image once and fails the phase', () => {
    const check = checkAnswers([outcome('b.jpg', { index: 7 }), outcome('b.jpg', { index: 7 }), outcome('a.jpg')], key);

    expect(check.disagreements).toEqual(['b.jpg']);
    expect(check.agreementPct).toBeCloseTo(100 / 3);
    expect(failed(check)).toBe(true);
  });

  it.each([
    ['an error status', outcome('a.jpg', { status: 504, index: undefined, namesOwnImage: false }), 'errors'],
    ['no answer at all', outcome('a.jpg', { status: 0, index: undefined, namesOwnImage: false }), 'errors'],
    ['an answer about another image', outcome('a.jpg', { namesOwnImage: false }), 'misnamed'],
  ] as const)('fails on %s', (_name, bad, counter) => {
    const check = checkAnswers([outcome('a.jpg'), bad], key);

    expect(check[counter]).toBe(1);
    expect(failed(check)).toBe(true);
  });

  it("counts the failed answers by status and keeps the first one's text", () => {
    // Act
    const check = checkAnswers([
      outcome('a.jpg', { status: 503, namesOwnImage: false, error: 'queue refused' }),
      outcome('b.jpg', { status: 0, namesOwnImage: false, error: 'ECONNREFUSED' }),
      outcome('c.jpg', { status: 503, namesOwnImage: false }),
    ]);

    // Assess
    expect(check.errorStatuses).toEqual({ 503: 2, 0: 1 });
    expect(check.firstError).toBe('queue refused');
  });

  it('leaves agreement and accuracy undefined without an answer key', () => {
    const check = checkAnswers([outcome('a.jpg')]);

    expect(check).toMatchObject({ checked: 0, agreementPct: undefined, accuracyPct: undefined });
    expect(failed(check)).toBe(false);
  });
});

describe('summarisePhase', () => {
  it('joins the timing of the answers and their check', () => {
    const phase = summarisePhase([outcome('a.jpg', { ms: 50 }), outcome('b.jpg', { index: 2, ms: 150 })], 0.5, key);

    expect(phase).toMatchObject({ images: 2, imagesPerSecond: 4, p50Ms: 50, p95Ms: 150, agreementPct: 100 });
  });
});

describe('ratio', () => {
  it.each([
    [64, 149, 64 / 149],
    [undefined, 149, undefined],
    [64, undefined, undefined],
    [64, 0, undefined],
  ])('%p over %p is %p', (part, whole, expected) => {
    expect(ratio(part, whole)).toBe(expected);
  });
});
