import type { ClassLabel } from '../models/labels.js';
import type { ClassScore, Prediction } from '../contracts/prediction.js';

/** Numerically stable softmax of one row of logits. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Indices of the k largest values, largest first (ties: lower index first). */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let position = best.length;
    while (position > 0 && values[best[position - 1]!]! < values[i]!) position--;
    if (position < k) {
      best.splice(position, 0, i);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

/** Turns one row of model output into a prediction with its top five. */
export function toPrediction(
  row: ArrayLike<number>,
  labels: readonly ClassLabel[],
  outputIsLogits: boolean,
): Prediction {
  if (row.length !== labels.length) {
    throw new RangeError(`model gave ${row.length} scores for ${labels.length} labels`);
  }
  const probabilities = outputIsLogits ? softmax(row) : Float64Array.from(row);
  const top5 = topK(probabilities, 5).map((index): ClassScore => {
    const { wnid, label } = labels[index]!;
    return { label, ...(wnid ? { wnid } : {}), index, confidence: clamp01(probabilities[index]!) };
  });
  return { ...top5[0]!, top5 };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
