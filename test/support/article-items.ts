import type { IndexedArticle } from '../../shared/articles/indexed-article-schema';

/**
 * A whole indexed article, as the index holds it: adapters parse stored items with the article's
 * schema, so a test's item must be complete. Tests override only the fields they are about.
 */
export function indexedArticle(overrides: Partial<IndexedArticle> & Pick<IndexedArticle, 'id'>): IndexedArticle {
  return {
    slug: 'a-story',
    contentHash: 'f'.repeat(64),
    schemaVersion: 1,
    format: 'text-page',
    headline: 'A story',
    subheadline: null,
    byline: { authors: ['Ann Author'], organization: null },
    publishedAt: '2014-03-14T17:34:00.000Z',
    photo: null,
    body: ['First paragraph.'],
    sources: [],
    poll: null,
    comments: [],
    commentTotal: null,
    canonicalUrl: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The article's `META` item: the article under the story's partition key. */
export function metaItemOf(article: IndexedArticle): IndexedArticle & { pk: string; sk: string } {
  return { pk: `ARTICLE#${article.id}`, sk: 'META', ...article };
}
