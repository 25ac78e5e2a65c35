/**
 * The contracts of the poll routes: request schemas (shared with the handlers) and the response
 * schemas, which the domain defines with the types it returns (polls/poll-shapes).
 */
import { articleIdPathSchema } from '../../articles/article-schemas';
import { errorBodySchema, errorResponses, type RouteContracts } from '../route-contract';
import * as z from '../../validation';
import { castVoteBodySchema, topPollsQuerySchema } from '../../polls/poll-schemas';
import { pollResultsSchema, resultsWithVoteSchema, topPollsSchema } from '../../polls/poll-shapes';
import { bannedReaderResponses } from './readers';

/** A second vote: the one error that also carries the results and the vote that stands. */
export const alreadyVotedSchema = z.strictObject({ ...errorBodySchema.shape, ...resultsWithVoteSchema.shape });

const tags = ['polls'];

export const pollContracts: RouteContracts = {
  'GET /articles/{articleId}/poll': {
    summary: "A story's poll results",
    description:
      'Without voting. The options are those `GET /articles/{articleId}` shows; the poll is fixed when the story is indexed.',
    tags,
    request: { path: articleIdPathSchema },
    responses: {
      200: { description: 'The results.', schema: pollResultsSchema },
      ...errorResponses([400, 404, 500]),
    },
  },
  'POST /articles/{articleId}/poll/votes': {
    summary: 'Vote in a story’s poll',
    description:
      'One vote per reader per story; the reader is the one the bearer token names, hashed at the edge and never ' +
      'stored as such.',
    tags,
    request: { path: articleIdPathSchema, body: castVoteBodySchema },
    responses: {
      201: {
        description: 'The vote is recorded; the results include it.',
        schema: resultsWithVoteSchema,
        headers: { location: 'The path of the poll.' },
      },
      409: {
        description: 'This reader already voted on this story: the error, the results and the vote that stands.',
        schema: alreadyVotedSchema,
      },
      ...bannedReaderResponses,
      ...errorResponses([400, 401, 404, 413, 415, 500]),
    },
  },
  'GET /polls/top': {
    summary: 'The most voted polls',
    description: 'The stories with the most votes cast from `since`’s UTC day to today, with their leading reaction.',
    tags,
    request: { query: topPollsQuerySchema },
    responses: {
      200: { description: 'The period and its top stories.', schema: topPollsSchema },
      ...errorResponses([400, 500]),
    },
  },
};
