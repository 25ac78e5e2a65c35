/**
 * Item keys of a story on the single table: its `META` and `COUNTS` items and the feed index
 * entry, and its `CORRECTIONS` item. Every reader feature keys its own items under the story's
 * partition (`articleKeys.partition`).
 */
export const articleKeys = {
  partition: (id: string) => `ARTICLE#${id}`,
  meta: 'META',
  counts: 'COUNTS',
  /** Every story is in the one feed partition, ordered by publication time. */
  feedPartition: 'ARTICLES',
  feedSort: (article: { publishedAt: string; id: string }) => `${article.publishedAt}#${article.id}`,
} as const;

/**
 * A story's corrections live in one `CORRECTIONS` item beside `META`, not in it: ingest rewrites
 * `META` whenever the story's content changes, and a correction must survive that.
 */
export const correctionKeys = {
  sort: 'CORRECTIONS',
  /** The list attribute, oldest first. */
  list: 'corrections',
} as const;
