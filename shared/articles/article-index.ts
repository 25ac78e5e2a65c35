import type { NormalizedArticle } from './article';
import type { ArticleCounts, FeedPage } from './article-shapes';
import type { IndexedArticle } from './indexed-article-schema';

/**
 * `unchanged`: the index already holds the same content. `stale`: it holds other content from a
 * newer input, which this older one must not replace; nothing was written.
 */
export type SaveOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

export interface SaveResult {
  outcome: SaveOutcome;
  version: number;
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
