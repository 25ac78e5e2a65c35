/**
 * The one schema of an article as the index keeps it, and of the summary its feed shows. The
 * adapters parse every stored item with them, so an item that lost a field or holds a wrong type
 * is a clear error where it is read, instead of a wrong value further on (in a response, or in
 * `articles/<id>.json`).
 */
import { ARTICLE_SUMMARY_FIELDS } from '../store/table-design';
import * as z from '../validation';
import { normalizedArticleSchema } from './article';

/**
 * Not strict: the item also carries attributes that are not the article's (the correlation id of
 * the request that wrote it); parsing leaves them out.
 */
export const indexedArticleSchema = z.object({
  ...normalizedArticleSchema.shape,
  /** Grows by one each time a newer input changes the content. */
  version: z.number(),
  /** The revision (see `revision.ts`) of the newest input of this story seen so far. */
  revision: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IndexedArticle = z.output<typeof indexedArticleSchema>;

/**
 * A story as listings show it: the article's summary fields, in the article's order. Strict, as
 * it is also the response shape; readers of stored items pick these fields before parsing.
 */
export const articleSummarySchema = z.strictObject(z.pickFields(indexedArticleSchema.shape, ARTICLE_SUMMARY_FIELDS));
export type ArticleSummary = z.output<typeof articleSummarySchema>;
