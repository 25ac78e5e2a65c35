import type { ArticleCounts, Byline, NormalizedArticle } from './article';

/** An article as the index keeps it: the normalized article plus its bookkeeping. */
export interface IndexedArticle extends NormalizedArticle {
  /** Grows by one each time the content changes. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ArticleSummary {
  id: string;
  slug: string;
  headline: string;
  subheadline: string | null;
  byline: Byline;
  publishedAt: string;
  version: number;
  updatedAt: string;
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

export interface SaveResult {
  outcome: SaveOutcome;
  version: number;
}

export interface FeedPage {
  items: ArticleSummary[];
  /** Opaque; pass back to get the next page. Null on the last page. */
  nextCursor: string | null;
}

/** The DynamoDB index of articles, as the domain sees it. */
export interface ArticleIndex {
  /**
   * Writes the article unless the index already holds the same content (same hash), so a
   * repeated ingest writes nothing and reports `unchanged`.
   */
  save(article: NormalizedArticle, at: Date): Promise<SaveResult>;
  find(id: string): Promise<{ article: IndexedArticle; counts: ArticleCounts } | null>;
  /** Whether the story exists, read without fetching the article itself (for 404s on its sub-resources). */
  exists(id: string): Promise<boolean>;
  listNewest(page: { limit: number; cursor?: string }): Promise<FeedPage>;
}
