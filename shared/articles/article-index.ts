import type { ArticleCounts, Byline, NormalizedArticle } from './article';

/** An article as the index keeps it: the normalized article plus its bookkeeping. */
export interface IndexedArticle extends NormalizedArticle {
  /** Grows by one each time a newer input changes the content. */
  version: number;
  /** The revision (see `revision.ts`) of the newest input of this story seen so far. */
  revision?: string;
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

/**
 * `unchanged`: the index already holds the same content. `stale`: it holds other content from a
 * newer input, which this older one must not replace; nothing was written.
 */
export type SaveOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

export interface SaveResult {
  outcome: SaveOutcome;
  version: number;
}

export interface FeedPage {
  items: ArticleSummary[];
  /** Opaque; pass back to get the next page. Null on the last page. */
  nextCursor: string | null;
}

/** A story in the most-voted listing: its feed summary and its votes. */
export type MostVotedArticle = ArticleSummary & { votes: number };

export interface MostVotedPage {
  items: MostVotedArticle[];
  nextCursor: string | null;
}

/** The DynamoDB index of articles, as the domain sees it. */
export interface ArticleIndex {
  /**
   * Writes the article if its input is newer (`revision`, see `revision.ts`) than every input of
   * the story seen before and its content differs, growing the version by one. The same content
   * from a newer input only records that revision (`unchanged`, no new version); anything from an
   * older input writes nothing (`unchanged` or `stale`). A repeated ingest therefore writes nothing.
   */
  save(article: NormalizedArticle, revision: string, at: Date): Promise<SaveResult>;
  find(id: string): Promise<{ article: IndexedArticle; counts: ArticleCounts } | null>;
  /** Whether the story exists, read without fetching the article itself (for 404s on its sub-resources). */
  exists(id: string): Promise<boolean>;
  listNewest(page: { limit: number; cursor?: string }): Promise<FeedPage>;
}
