import type { NormalizedArticle } from './article';
import type { IndexedArticle } from './article-index';

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

/**
 * The document `articles/<id>.json` holds for a story with corrections: the normalized article
 * (rebuilt from the index item, field by field, so index bookkeeping never leaks into it) plus
 * its corrections, oldest first. Built from the index rather than from the object in S3, so a
 * render racing with a re-ingest is repaired by the render that re-ingest's event triggers.
 */
export function correctedArticleDocument(
  article: IndexedArticle,
  corrections: readonly Correction[],
): CorrectedArticleDocument {
  const normalized: NormalizedArticle = {
    id: article.id,
    slug: article.slug,
    contentHash: article.contentHash,
    schemaVersion: article.schemaVersion,
    format: article.format,
    headline: article.headline,
    subheadline: article.subheadline,
    byline: article.byline,
    publishedAt: article.publishedAt,
    photo: article.photo,
    body: article.body,
    sources: article.sources,
    poll: article.poll,
    comments: article.comments,
    commentTotal: article.commentTotal,
    canonicalUrl: article.canonicalUrl,
  };
  return { ...normalized, corrections: corrections.map(publicCorrection) };
}

/** What readers see of a correction: never the report behind it. */
export function publicCorrection(correction: Correction): Correction {
  return { text: correction.text, correctedAt: correction.correctedAt };
}
