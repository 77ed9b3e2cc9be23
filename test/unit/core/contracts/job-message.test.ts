import { MalformedJobError, parseJobMessage } from '#core/contracts/job-message.js';

const valid = {
  version: 1,
  jobId: '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11',
  inputKey: 'uploads/4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11',
  filename: 'cat.jpg',
  replyTo: 'http://sqs.us-east-1.localhost:4566/000000000000/glimpse-responses-a',
  submittedAt: '2026-11-22T12:00:00.000Z',
};

describe('job message contract', () => {
  it('accepts a valid v1 job', () => {
    expect(parseJobMessage(JSON.stringify(valid))).toEqual(valid);
  });

  it('drops fields it does not know (a newer producer of the same version)', () => {
    expect(parseJobMessage(JSON.stringify({ ...valid, priority: 'high' }))).toEqual(valid);
  });

  it('accepts a job nobody waits for (no replyTo)', () => {
    const { replyTo: _omit, ...rest } = valid;
    expect(parseJobMessage(JSON.stringify(rest)).replyTo).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"version":'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['another version', JSON.stringify({ ...valid, version: 2 })],
    ['a job id that is not a UUID', JSON.stringify({ ...valid, jobId: '../../etc/passwd' })],
    ['no input key', JSON.stringify({ ...valid, inputKey: undefined })],
    ['a reply target that is not a URL', JSON.stringify({ ...valid, replyTo: 'my-queue' })],
    ['a bad timestamp', JSON.stringify({ ...valid, submittedAt: 'yesterday' })],
    ['an over-long file name', JSON.stringify({ ...valid, filename: 'x'.repeat(256) })],
  ])('rejects %s', (_name, body) => {
    expect(() => parseJobMessage(body)).toThrow(MalformedJobError);
  });
});
