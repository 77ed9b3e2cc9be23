import { z } from 'zod';

/** One class with its probability. */
export const classScoreSchema = z.object({
  label: z.string().meta({ description: "The class's label, from the model's labels file", example: 'tench' }),
  wnid: z
    .string()
    .regex(/^n\d{8}$/)
    .optional()
    .meta({ description: 'WordNet id of the class (ImageNet models only)', example: 'n01440764' }),
  index: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'Model output index (line of the labels file, from 0)', example: 0 }),
  confidence: z.number().min(0).max(1).meta({ description: 'Softmax probability (0–1)', example: 0.93 }),
});
export type ClassScore = z.infer<typeof classScoreSchema>;

/** The answer for one image: the top class, plus the five best (best first). */
export const predictionSchema = classScoreSchema.extend({
  top5: z.array(classScoreSchema).min(1).max(5).describe('The five most likely classes, best first'),
});
export type Prediction = z.infer<typeof predictionSchema>;
