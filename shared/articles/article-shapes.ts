/**
 * The response shapes of the article routes, each defined once as a schema: the types the domain
 * returns are their outputs, and the API contract (shared/http/contracts) describes and checks
 * the responses with the very same schemas. The domain and the handlers import this module with
 * `import type` only: schemas built at a module's top level are not tree-shaken, so a runtime
 * import would carry all of them into a bundle that never uses one. (The summary is parsed from
 * stored items, so its schema lives with the stored article's, in indexed-article-schema.)
 */
import { pollOptionSchema } from '../polls/poll-shapes';
import * as z from '../validation';
import { correctionSchema } from './corrections';
import { articleSummarySchema, indexedArticleSchema } from './indexed-article-schema';

export const articleCountsSchema = z.strictObject({
  comments: z.number(),
  votes: z.number(),
  errorReports: z.number(),
});
export type ArticleCounts = z.output<typeof articleCountsSchema>;

/** Opaque; pass back to get the next page. Null on the last page. */
const nextCursor = z.nullable(z.string());

export const feedPageSchema = z.strictObject({ items: z.array(articleSummarySchema), nextCursor });
export type FeedPage = z.output<typeof feedPageSchema>;

/** A story in the most-voted listing: its feed summary and its votes. */
export const mostVotedArticleSchema = z.strictObject({ ...articleSummarySchema.shape, votes: z.number() });
export type MostVotedArticle = z.output<typeof mostVotedArticleSchema>;

export const mostVotedPageSchema = z.strictObject({ items: z.array(mostVotedArticleSchema), nextCursor });
export type MostVotedPage = z.output<typeof mostVotedPageSchema>;

const article = indexedArticleSchema.shape;

/** An article as `GET /articles/{articleId}` returns it: its summary, then the rest of the story. */
export const articleViewSchema = z.strictObject({
  ...articleSummarySchema.shape,
  photo: article.photo,
  body: article.body,
  sources: article.sources,
  /** The story's reader poll, with the options `GET /articles/{articleId}/poll` counts votes for. */
  poll: z.strictObject({ question: z.string(), options: z.array(pollOptionSchema) }),
  /** Reader comments that were embedded in the source page, with their original times. */
  embeddedComments: article.comments,
  /** The comment total the source page stated ("Showing 3 of 60 comments"). */
  sourceCommentTotal: article.commentTotal,
  canonicalUrl: article.canonicalUrl,
  /** The language the source states (BCP 47); absent when it states none. */
  language: article.language,
  format: article.format,
  createdAt: article.createdAt,
  counts: articleCountsSchema,
  /** Corrections published on the story, oldest first; always present, usually empty. */
  corrections: z.array(correctionSchema),
});
export type ArticleView = z.output<typeof articleViewSchema>;
