import {
  checkDelaySeconds,
  isPastDeadline,
  MalformedDeadlineCheckError,
  parseDeadlineCheck,
} from '#core/contracts/deadline-check.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('deadline checks', () => {
  it.each([
    ['a deadline in 5 s waits 5 s', '2026-12-01T12:00:05.000Z', 5],
    ['a part second rounds up, never early', '2026-12-01T12:00:04.200Z', 5],
    ['a deadline an hour away waits the longest SQS delay, then is sent again', '2026-12-01T13:00:00.000Z', 900],
    ['a deadline passed is due at once', '2026-12-01T11:59:00.000Z', 0],
  ])('%s', (_story, deadline, seconds) => {
    expect(checkDelaySeconds(deadline, NOW)).toBe(seconds);
  });

  it('says whether a job is past its deadline (none: never)', () => {
    expect(isPastDeadline('2026-12-01T12:00:00.000Z', NOW)).toBe(true);
    expect(isPastDeadline('2026-12-01T12:00:00.001Z', NOW)).toBe(false);
    expect(isPastDeadline(undefined, NOW)).toBe(false);
  });

  it('parses a check and refuses anything else by class', () => {
    const check = { version: 1, jobId: '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11', deadline: '2026-12-01T12:00:05.000Z' };
    expect(parseDeadlineCheck(JSON.stringify(check))).toEqual(check);
    expect(() => parseDeadlineCheck('{"version":1}')).toThrow(MalformedDeadlineCheckError);
    expect(() => parseDeadlineCheck('not json')).toThrow(MalformedDeadlineCheckError);
  });
});
