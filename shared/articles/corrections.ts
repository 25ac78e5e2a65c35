import type { NormalizedArticle } from './article';

/** A correction published on a story, as readers see it. */
export interface Correction {
  text: string;
  /** ISO-8601 UTC. */
  correctedAt: string;
}

/** A correction as the store keeps it: with the error report that led to it. */
export interface StoredCorrection extends Correction {
  reportId: string;
}

/** The normalized article in S3 once corrections were published on it. */
export type CorrectedArticleDocument = NormalizedArticle & { corrections: Correction[] };

/** What readers see of a correction: never the report behind it. */
export function publicCorrection(correction: Correction): Correction {
  return { text: correction.text, correctedAt: correction.correctedAt };
}
