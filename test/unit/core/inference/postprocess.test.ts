import type { ClassLabel } from '#core/models/labels.js';
import { softmax, toPrediction, topK } from '#core/inference/postprocess.js';

const labels: ClassLabel[] = [
  'tench',
  'goldfish',
  'great white shark',
  'tiger shark',
  'hammerhead',
  'electric ray',
].map((label, index) => ({ index, label, wnid: `n0000000${index}` }));

describe('softmax', () => {
  it('matches the hand-computed probabilities', () => {
    const p = softmax([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
  });

  it('stays finite for logits in the thousands (ShuffleNet outputs)', () => {
    const p = softmax([5000, 4999, 1000]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[0]! / p[1]!).toBeCloseTo(Math.E, 9);
  });
});

describe('topK', () => {
  it.each([
    ['descending order', [0.1, 0.5, 0.2, 0.9], 3, [3, 1, 2]],
    ['ties keep the lower index first', [0.3, 0.3, 0.3], 2, [0, 1]],
    ['k larger than the input', [1, 2], 5, [1, 0]],
  ])('%s', (_name, values, k, expected) => {
    expect(topK(values, k)).toEqual(expected);
  });
});

describe('toPrediction', () => {
  it('maps the best index to its label and wnid, with a sorted top 5', () => {
    const prediction = toPrediction([1, 2, 9, 3, 0, 4], labels, true);
    expect(prediction).toMatchObject({ label: 'great white shark', wnid: 'n00000002', index: 2 });
    expect(prediction.top5.map((s) => s.index)).toEqual([2, 5, 3, 1, 0]);
    expect(prediction.confidence).toBe(prediction.top5[0]!.confidence);
    const confidences = prediction.top5.map((s) => s.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  it('refuses a row whose length differs from the label count', () => {
    expect(() => toPrediction([1, 2], labels, true)).toThrow(RangeError);
  });
});
