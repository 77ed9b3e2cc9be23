import { z } from 'zod';

/** One class with its probability. */
export const classScoreSchema = z.object({
  /** Short ImageNet name, e.g. `tench`. */
  label: z.string(),
  /** WordNet id, e.g. `n01440764`. */
  wnid: z.string().regex(/^n\d{8}$/),
  /** Model output index (0–999). */
  index: z.number().int().min(0),
  /** Softmax probability, 0–1. */
  confidence: z.number().min(0).max(1),
});
export type ClassScore = z.infer<typeof classScoreSchema>;

/** The answer for one image: the top class, plus the five best (best first). */
export const predictionSchema = classScoreSchema.extend({
  top5: z.array(classScoreSchema).min(1).max(5),
});
export type Prediction = z.infer<typeof predictionSchema>;
