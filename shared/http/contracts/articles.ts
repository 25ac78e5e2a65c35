/**
 * The contracts of the article routes: request schemas (shared with the handlers) and the
 * response shapes, asserted against the domain types the handlers return.
 */
import { errorResponses, type RouteContracts, type SameShape } from '../route-contract';
import { LIMITS } from '../../limits';
import * as z from '../../validation';
import type { ArticleSummary, FeedPage, MostVotedPage } from '../../articles/article-index';
import { articleIdPathSchema, listArticlesQuerySchema } from '../../articles/article-schemas';
import type { ArticleView } from '../../articles/article-view';

const nullableString = z.nullable(z.string());
const byline = z.strictObject({ authors: z.array(z.string()), organization: nullableString });
const nextCursor = z.nullable(z.string());

export const articleSummarySchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  headline: z.string(),
  subheadline: nullableString,
  byline,
  publishedAt: z.string(),
  version: z.number(),
  updatedAt: z.string(),
});

export const feedPageSchema = z.strictObject({ items: z.array(articleSummarySchema), nextCursor });

export const mostVotedPageSchema = z.strictObject({
  items: z.array(z.strictObject({ ...articleSummarySchema.shape, votes: z.number() })),
  nextCursor,
});

export const articleViewSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  headline: z.string(),
  subheadline: nullableString,
  byline,
  publishedAt: z.string(),
  photo: z.nullable(z.strictObject({ caption: nullableString, credit: nullableString })),
  body: z.array(z.string()),
  sources: z.array(z.string()),
  poll: z.strictObject({
    question: z.string(),
    options: z.array(z.strictObject({ id: z.string(), label: z.string() })),
  }),
  embeddedComments: z.array(z.strictObject({ postedAt: z.string(), body: z.string(), author: nullableString })),
  sourceCommentTotal: z.nullable(z.number()),
  canonicalUrl: nullableString,
  format: z.enum(['text-page', 'html-page', 'json-article']),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  counts: z.strictObject({ comments: z.number(), votes: z.number(), errorReports: z.number() }),
  corrections: z.array(z.strictObject({ text: z.string(), correctedAt: z.string() })),
});

export const createdArticleSchema = z.strictObject({
  id: z.string(),
  version: z.number(),
  outcome: z.enum(['created', 'updated', 'unchanged']),
  submittedBy: z.string(),
});

type Output<S extends z.ZodMiniType> = z.output<S>;
const shapes: [
  SameShape<Output<typeof articleSummarySchema>, ArticleSummary>,
  SameShape<Output<typeof feedPageSchema>, FeedPage>,
  SameShape<Output<typeof mostVotedPageSchema>, MostVotedPage>,
  SameShape<Output<typeof articleViewSchema>, ArticleView>,
] = [true, true, true, true];
void shapes;

export const articleContracts: RouteContracts = {
  'POST /articles': {
    summary: 'Post a story',
    description:
      'Runs a story page (text or HTML) or a JSON article through the ingest pipeline synchronously; ' +
      `at most ${LIMITS.maxIngestBytes} bytes.`,
    tags: ['articles'],
    request: {
      body: {
        mediaTypes: ['text/plain', 'text/html', 'application/json'],
        description: 'A story page as text or HTML, or a JSON article.',
      },
    },
    responses: {
      201: {
        description: 'A new story.',
        schema: createdArticleSchema,
        headers: { location: 'The path of the story.' },
      },
      200: {
        description: 'A story already known: updated, or unchanged when the content is the same.',
        schema: createdArticleSchema,
        headers: { location: 'The path of the story.' },
      },
      ...errorResponses([400, 401, 403, 409, 413, 415, 422, 500], {
        409: 'A newer version of the story arrived meanwhile; this one was kept as received but not applied.',
        422: 'The input is not a story; `details` gives the rejection reason.',
      }),
    },
  },
  'GET /articles': {
    summary: 'List stories',
    description: 'Newest first, or with `sort=votes` the stories with the most poll votes.',
    tags: ['articles'],
    request: { query: listArticlesQuerySchema },
    responses: {
      200: {
        description: 'A page of stories; with `sort=votes` each story also carries its votes.',
        schema: z.union([feedPageSchema, mostVotedPageSchema]),
      },
      ...errorResponses([400, 500]),
    },
  },
  'GET /articles/{articleId}': {
    summary: 'Get a story',
    tags: ['articles'],
    request: { path: articleIdPathSchema },
    responses: {
      200: { description: 'The story with its counts, corrections and poll.', schema: articleViewSchema },
      ...errorResponses([400, 404, 500]),
    },
  },
};
