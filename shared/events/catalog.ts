/**
 * The event catalog: every event this backend puts on its bus. Consumers match on
 * `source` and `detail-type`; `detail.schemaVersion` lets a detail shape evolve without
 * breaking them. Details never carry reader secrets (voter tokens, contacts, addresses).
 */
export const EVENT_SOURCE = 'newsroom';

export const DETAIL_TYPES = {
  articleIngested: 'ArticleIngested',
  articleRejected: 'ArticleRejected',
} as const;

export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

export interface ArticleIngestedDetail {
  schemaVersion: 1;
  articleId: string;
  /** Grows by one each time the story's content changes; a consumer keeps the highest. */
  version: number;
  /** `created` for a new story, `updated` when a known story changed in place. */
  change: 'created' | 'updated';
  headline: string;
  publishedAt: string;
  format: string;
  /** Key of the normalized article in the bucket. */
  articleKey: string;
  contentHash: string;
}

export interface ArticleRejectedDetail {
  schemaVersion: 1;
  /** Where the input now lives (under `rejected/`), so an editor can fetch and fix it. */
  rejectedKey: string;
  reasonKey: string;
  sourceKey: string;
  reason: { code: string; message: string };
}

export interface EventDetails {
  ArticleIngested: ArticleIngestedDetail;
  ArticleRejected: ArticleRejectedDetail;
}
