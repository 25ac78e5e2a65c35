/**
 * The one schema of an article as the index keeps it. The adapter parses every stored item with
 * it, so an item that lost a field or holds a wrong type is a clear error where it is read,
 * instead of a wrong value further on (in a response, or in `articles/<id>.json`).
 */
import * as z from '../validation';
import type { NormalizedArticle } from './article';
import type { IndexedArticle } from './article-index';

const nullableString = z.nullable(z.string());

export const normalizedArticleSchema = z.object({
  id: z.string(),
  slug: z.string(),
  contentHash: z.string(),
  schemaVersion: z.literal(1),
  format: z.enum(['text-page', 'html-page', 'json-article']),
  headline: z.string(),
  subheadline: nullableString,
  byline: z.object({ authors: z.array(z.string()), organization: nullableString }),
  publishedAt: z.string(),
  photo: z.nullable(z.object({ caption: nullableString, credit: nullableString })),
  body: z.array(z.string()),
  sources: z.array(z.string()),
  poll: z.nullable(z.object({ question: z.string(), options: z.array(z.string()) })),
  comments: z.array(z.object({ postedAt: z.string(), body: z.string(), author: nullableString })),
  commentTotal: z.nullable(z.number()),
  canonicalUrl: nullableString,
});

/**
 * Not strict: the item also carries attributes that are not the article's (the correlation id of
 * the request that wrote it); parsing leaves them out.
 */
export const indexedArticleSchema = z.object({
  ...normalizedArticleSchema.shape,
  version: z.number(),
  revision: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const shapes: [
  z.SameShape<z.output<typeof normalizedArticleSchema>, NormalizedArticle>,
  z.SameShape<z.output<typeof indexedArticleSchema>, IndexedArticle>,
] = [true, true];
void shapes;
