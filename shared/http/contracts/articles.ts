/**
 * The contracts of the article routes: request schemas (shared with the handlers) and the
 * response schemas, which the domain defines with the types it returns (articles/article-shapes).
 */
import { errorResponses, type RouteContracts } from '../route-contract';
import { LIMITS } from '../../limits';
import * as z from '../../validation';
import { articleIdPathSchema, INGEST_MEDIA_TYPES, listArticlesQuerySchema } from '../../articles/article-schemas';
import { articleViewSchema, feedPageSchema, mostVotedPageSchema } from '../../articles/article-shapes';

export const createdArticleSchema = z.strictObject({
  id: z.string(),
  version: z.number(),
  outcome: z.enum(['created', 'updated', 'unchanged']),
  submittedBy: z.string(),
});

/** What became of each item of a posted feed, in the feed's order. */
export const ingestedFeedSchema = z.strictObject({
  format: z.enum(['rss', 'atom']),
  items: z.array(
    z.union([
      z.strictObject({
        id: z.string(),
        version: z.number(),
        /** `stale`: a newer version of the story was already indexed; this one was not applied. */
        outcome: z.enum(['created', 'updated', 'unchanged', 'stale']),
      }),
      z.strictObject({
        /** Why the item is not a story; the other items are ingested all the same. */
        rejected: z.strictObject({ code: z.string(), message: z.string() }),
      }),
    ]),
  ),
  submittedBy: z.string(),
});

export const articleContracts: RouteContracts = {
  'POST /articles': {
    summary: 'Post a story',
    description:
      'Runs a story page (text or HTML), a JSON article, an IPTC ninjs item or an RSS or Atom feed through ' +
      `the ingest pipeline synchronously; at most ${LIMITS.maxIngestBytes} bytes, a feed at most ` +
      `${LIMITS.maxFeedItems} items. Each item of a feed becomes a story of its own or is rejected alone.`,
    tags: ['articles'],
    request: {
      body: {
        mediaTypes: INGEST_MEDIA_TYPES,
        description:
          'A story page as text or HTML, a JSON article or IPTC ninjs item (1.x, 2.x or 3.x), or an RSS 2.0 or ' +
          'Atom feed. The content decides the format.',
      },
    },
    responses: {
      201: {
        description: 'A new story.',
        schema: createdArticleSchema,
        headers: { location: 'The path of the story.' },
      },
      200: {
        description:
          'A story already known: updated, or unchanged when the content is the same. For a feed: what became ' +
          'of each of its items, in order (its id, or why it was rejected).',
        schema: z.union([createdArticleSchema, ingestedFeedSchema]),
        headers: { location: 'The path of the story (not for a feed).' },
      },
      ...errorResponses([400, 401, 403, 409, 413, 415, 422, 500], {
        409: 'A newer version of the story arrived meanwhile; this one was kept as received but not applied.',
        422: 'The input is not a story (nor a readable feed); `details` gives the rejection reason.',
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
