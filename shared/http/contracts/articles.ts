/**
 * The contracts of the article routes: request schemas (shared with the handlers) and the
 * response schemas, which the domain defines with the types it returns (articles/article-shapes).
 */
import { errorResponses, type RouteContracts } from '../route-contract';
import { LIMITS } from '../../limits';
import * as z from '../../validation';
import { articleIdPathSchema, listArticlesQuerySchema } from '../../articles/article-schemas';
import { articleViewSchema, feedPageSchema, mostVotedPageSchema } from '../../articles/article-shapes';

export const createdArticleSchema = z.strictObject({
  id: z.string(),
  version: z.number(),
  outcome: z.enum(['created', 'updated', 'unchanged']),
  submittedBy: z.string(),
});

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
