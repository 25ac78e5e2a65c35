import { DETAIL_TYPES } from '../events/catalog';
import type { DomainEvent } from '../ports';
import { articleKey } from '../store/bucket-layout';
import type { IndexedArticle } from './indexed-article-schema';

/**
 * The event a committed change of an article's index item stands for. Called with the item's
 * images from the table stream (the previous one absent for a new story); returns null when the
 * content did not change (the stream can carry writes of other attributes, and redeliveries).
 */
export function articleChangeEvent(
  current: IndexedArticle | undefined,
  previous: IndexedArticle | undefined,
): DomainEvent | null {
  if (!current) return null;
  if (previous?.contentHash === current.contentHash) return null;
  return {
    detailType: DETAIL_TYPES.articleIngested,
    detail: {
      schemaVersion: 1,
      articleId: current.id,
      version: current.version,
      change: previous ? 'updated' : 'created',
      headline: current.headline,
      publishedAt: current.publishedAt,
      format: current.format,
      articleKey: articleKey(current.id),
      contentHash: current.contentHash,
    },
  };
}
