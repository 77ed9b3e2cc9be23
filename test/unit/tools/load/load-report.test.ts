import type { Answer } from '#tools/load/classify-request.js';
import { summarise } from '#tools/load/load-report.js';

const answer = (filename: string, fields: Partial<Answer> = {}): Answer => ({
  filename,
  status: 200,
  label: 'tabby',
  namesOwnImage: true,
  ms: 100,
  ...fields,
});

describe('summarise', () => {
  it('passes when every upload is answered with its own image, and counts the right labels', () => {
    const answers = [answer('a.jpg'), answer('b.jpg', { label: 'goldfish', ms: 300 })];

    const report = summarise(
      answers,
      2,
      new Map([
        ['a.jpg', 'tabby'],
        ['b.jpg', 'tabby'],
      ]),
    );

    expect(report.ok).toBe(true);
    expect(report.text).toContain('requests          2 in 2.0 s: 1.0 images/s');
    expect(report.text).toContain('named own image   2/2');
    expect(report.text).toContain('latency ms        p50 100  p90 300  p95 300  p99 300  max 300');
    expect(report.text).toContain('labels correct    1/2 (50.0%)');
  });

  it.each([
    ['a misrouted answer', answer('b.jpg', { namesOwnImage: false }), 'MISROUTED: b.jpg'],
    ['an error status', answer('b.jpg', { status: 504, namesOwnImage: false }), 'status 504  1'],
    ['no answer at all', answer('b.jpg', { status: 0, namesOwnImage: false }), 'status network error  1'],
  ])('fails on %s and says so', (_name, bad, line) => {
    const report = summarise([answer('a.jpg'), bad], 1);

    expect(report.ok).toBe(false);
    expect(report.text).toContain(line);
  });
});
