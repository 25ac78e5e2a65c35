import * as z from '../validation';
import type { NormalizedArticle } from './article';

/** A correction published on a story, as readers see it. */
export const correctionSchema = z.strictObject({
  text: z.string(),
  /** ISO-8601 UTC. */
  correctedAt: z.string(),
});
export type Correction = z.output<typeof correctionSchema>;

/** A correction as the store keeps it: with the error report that led to it. */
export const storedCorrectionSchema = z.strictObject({ ...correctionSchema.shape, reportId: z.string() });
export type StoredCorrection = z.output<typeof storedCorrectionSchema>;

/** The normalized article in S3 once corrections were published on it. */
export type CorrectedArticleDocument = NormalizedArticle & { corrections: Correction[] };

/** What readers see of a correction: never the report behind it. */
export function publicCorrection(correction: Correction): Correction {
  return { text: correction.text, correctedAt: correction.correctedAt };
}
