import { DETAIL_TYPES } from '../events/catalog';
import type { DomainEvent } from '../ports';
import { articleKey } from '../store/bucket-layout';
import type { IndexedArticle } from './article-index';

/**
 * The event a committed change of an article's index item stands for. Called with the item's
 * images from the table stream; returns null when the content did not change (the stream can
 * carry writes of other attributes, and redeliveries).
 */
export function articleChangeEvent(
  newImage: Partial<IndexedArticle> | undefined,
  oldImage: Partial<IndexedArticle> | undefined,
): DomainEvent | null {
  if (!newImage?.id || !newImage.contentHash) return null;
  if (oldImage?.contentHash === newImage.contentHash) return null;
  return {
    detailType: DETAIL_TYPES.articleIngested,
    detail: {
      schemaVersion: 1,
      articleId: newImage.id,
      version: Number(newImage.version ?? 1),
      change: oldImage?.contentHash ? 'updated' : 'created',
      headline: newImage.headline ?? '',
      publishedAt: newImage.publishedAt ?? '',
      format: newImage.format ?? 'unknown',
      articleKey: articleKey(newImage.id),
      contentHash: newImage.contentHash,
    },
  };
}
