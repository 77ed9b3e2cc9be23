import { MalformedJobError, MAX_JOB_MESSAGE_BYTES, parseJobMessage } from '#core/contracts/job-message.js';

const JOB_ID = '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11';
const prefix = { responseQueuePrefix: 'glimpse-responses-' };
const valid = {
  version: 2,
  jobId: JOB_ID,
  filename: 'cat.jpg',
  replyQueue: 'glimpse-responses-a',
  submittedAt: '2026-11-22T12:00:00.000Z',
};
/** The same job as a v1 producer (before the rolling upgrade) sent it. */
const v1 = {
  version: 1,
  jobId: JOB_ID,
  inputKey: 'secrets/someone-elses-upload',
  filename: 'cat.jpg',
  replyTo: 'https://attacker.example:8443/000000000000/glimpse-responses-a',
  submittedAt: '2026-11-22T12:00:00.000Z',
};
const parse = (job: unknown) => parseJobMessage(JSON.stringify(job), prefix);
const without = (job: Record<string, unknown>, field: string) =>
  Object.fromEntries(Object.entries(job).filter(([name]) => name !== field));

describe('job message contract', () => {
  it('accepts a valid v2 job', () => {
    expect(parse(valid)).toEqual(valid);
  });

  it('drops fields it does not know (a newer producer of the same version), an input key among them', () => {
    expect(parse({ ...valid, priority: 'high', inputKey: 'uploads/someone-else' })).toEqual(valid);
  });

  it.each([
    ['a v2 job', without(valid, 'replyQueue')],
    ['a v1 job', without(v1, 'replyTo')],
  ])('accepts %s nobody waits for (no reply queue)', (_name, job) => {
    expect(parse(job)).toEqual(without(valid, 'replyQueue'));
  });

  it.each([
    ['not JSON', '{"version":'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['another version', JSON.stringify({ ...valid, version: 3 })],
    ['a job id that is not a UUID', JSON.stringify({ ...valid, jobId: '../../etc/passwd' })],
    [
      'a reply queue given as a URL',
      JSON.stringify({ ...valid, replyQueue: 'http://evil.example/1/glimpse-responses-a' }),
    ],
    ['a reply queue with a path', JSON.stringify({ ...valid, replyQueue: 'glimpse-responses-a/../x' })],
    ['a reply queue with dots', JSON.stringify({ ...valid, replyQueue: 'glimpse-responses-..' })],
    ['an over-long reply queue name', JSON.stringify({ ...valid, replyQueue: `glimpse-responses-${'x'.repeat(63)}` })],
    [
      'a reply queue outside the response-queue prefix',
      JSON.stringify({ ...valid, replyQueue: 'glimpse-requests-dlq' }),
    ],
    ['a bad timestamp', JSON.stringify({ ...valid, submittedAt: 'yesterday' })],
    ['an over-long timestamp', JSON.stringify({ ...valid, submittedAt: `2026-11-22T12:00:00.${'0'.repeat(40)}Z` })],
    ['an over-long file name', JSON.stringify({ ...valid, filename: 'x'.repeat(256) })],
    ['pixels of an absurd size', JSON.stringify({ ...valid, pixels: { size: 1e9, resize: 256 } })],
  ])('rejects %s', (_name, body) => {
    expect(() => parseJobMessage(body, prefix)).toThrow(MalformedJobError);
  });

  it('rejects a body over the size bound before parsing it, saying so', () => {
    // Prepare
    const body = JSON.stringify({ ...valid, padding: 'x'.repeat(MAX_JOB_MESSAGE_BYTES) });
    // Act
    const parsing = () => parseJobMessage(body, prefix);
    // Assess
    expect(parsing).toThrow(MalformedJobError);
    expect(parsing).toThrow(/bytes, over the 8192 allowed/);
  });

  it('names the prefix problem in its reason', () => {
    expect(() => parse({ ...valid, replyQueue: 'other-queue' })).toThrow(
      'reply queue other-queue is outside the response-queue prefix',
    );
  });
});

describe('a v1 job read during a rolling upgrade', () => {
  it('keeps only the reply URL last segment, as a name: its host and input key are dropped', () => {
    expect(parse(v1)).toEqual(valid);
  });

  it.each([
    ['a reply URL whose last segment is no queue name', 'http://sqs.local/000000000000/glimpse-responses-a%2F..'],
    ['a reply URL ending in a slash', 'http://sqs.local/000000000000/glimpse-responses-a/'],
    ['a reply URL outside the response-queue prefix', 'http://sqs.local/000000000000/glimpse-requests-dlq'],
    ['a reply target that is not a URL', 'glimpse-responses-a'],
  ])('is rejected with %s', (_name, replyTo) => {
    expect(() => parse({ ...v1, replyTo })).toThrow(MalformedJobError);
  });
});
