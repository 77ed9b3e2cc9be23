import { resultRecordSchema } from '#core/contracts/result-record.js';

const submittedAt = '2026-11-22T12:00:00.000Z';
const jobId = '4c0a6c55-3f3a-4c55-9d56-5a0d1c3f0a11';

describe('result record contract', () => {
  const timings = {
    submittedAt: submittedAt,
    completedAt: '2026-11-22T12:00:01.000Z',
    queueWaitMs: 10,
    downloadMs: 2,
    preprocessMs: 6,
    inferenceMs: 20,
    batchSize: 4,
    totalMs: 1000,
  };
  const common = { version: 1, jobId, filename: 'cat.jpg', model: 'm', workerId: 'w', timings };
  const score = { label: 'tabby', wnid: 'n02123045', index: 281, confidence: 0.9 };

  it('accepts done with a prediction and failed with a reason', () => {
    expect(
      resultRecordSchema.safeParse({ ...common, status: 'done', prediction: { ...score, top5: [score] } }).success,
    ).toBe(true);
    expect(
      resultRecordSchema.safeParse({
        ...common,
        status: 'failed',
        failure: { code: 'undecodable_image', message: 'x' },
      }).success,
    ).toBe(true);
  });

  it.each([
    ['done without a prediction', { ...common, status: 'done' }],
    ['failed without a reason', { ...common, status: 'failed' }],
    ['a confidence above 1', { ...common, status: 'done', prediction: { ...score, confidence: 1.5, top5: [score] } }],
    ['an unknown status', { ...common, status: 'maybe' }],
  ])('rejects %s', (_name, record) => {
    expect(resultRecordSchema.safeParse(record).success).toBe(false);
  });
});
