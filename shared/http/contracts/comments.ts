/**
 * The contracts of the comment routes: request schemas (shared with the handlers) and the
 * response schemas, which the domain defines with the types it returns (comments/comment-shapes).
 */
import { errorResponses, type RouteContracts } from '../route-contract';
import {
  articlePathSchema,
  commentPathSchema,
  commentSettingsBodySchema,
  editCommentBodySchema,
  flagBodySchema,
  idempotencyHeaderSchema,
  listCommentsQuerySchema,
  moderationQueueQuerySchema,
  pageQuerySchema,
  postCommentBodySchema,
  readerRecordQuerySchema,
  voteBodySchema,
} from '../../comments/comment-schemas';
import { moderateBodySchema } from '../../comments/moderation-schemas';
import {
  commentFlagSchema,
  commentListingSchema,
  commentSettingsSchema,
  commentVoteSchema,
  editorCommentViewSchema,
  moderationPageSchema,
  ownCommentViewSchema,
  readerRecordSchema,
  repliesPageSchema,
} from '../../comments/comment-shapes';
import { readerPathSchema } from '../../identity/ban-schemas';
import { authorOnlyResponses, bannedReaderResponses } from './readers';

const tags = ['comments'];

export const commentContracts: RouteContracts = {
  'POST /articles/{articleId}/comments': {
    summary: 'Post a comment or a reply',
    description:
      'The moderation rules publish it (`approved`) or hold it for review (`pending`). With an ' +
      '`Idempotency-Key` header, a repeat answers the same and stores nothing. Anonymous readers ' +
      'name themselves in `author`; a reader signed in on the news site is shown by the name ' +
      'the site signed, with `verified: true`. The answer carries the author’s own `readerId`.',
    tags,
    request: { path: articlePathSchema, headers: idempotencyHeaderSchema, body: postCommentBodySchema },
    responses: {
      201: {
        description: 'The stored comment, with the author’s reader id.',
        schema: ownCommentViewSchema,
        headers: { 'idempotent-replayed': '`true` when this answers a repeated idempotent request.' },
      },
      ...bannedReaderResponses,
      ...errorResponses([400, 401, 404, 409, 413, 415, 422, 429, 500], {
        409: 'The same comment was just posted from this source, or comments are closed.',
        422: 'The moderation rules refuse the comment.',
      }),
    },
  },
  'GET /articles/{articleId}/comments': {
    summary: "List a story's comments",
    description: 'Visible top-level comments with their first replies and the exact total.',
    tags,
    request: { path: articlePathSchema, query: listCommentsQuerySchema },
    responses: {
      200: { description: 'A page of threads.', schema: commentListingSchema },
      ...errorResponses([400, 404, 500]),
    },
  },
  'GET /comments/{commentId}/replies': {
    summary: 'List the replies of a thread',
    tags,
    request: { path: commentPathSchema, query: pageQuerySchema },
    responses: {
      200: { description: 'A page of replies, oldest first.', schema: repliesPageSchema },
      ...errorResponses([400, 404, 500]),
    },
  },
  'POST /comments/{commentId}/votes': {
    summary: 'Vote on a comment',
    description: 'One vote per reader and comment; a second vote replaces the first.',
    tags,
    request: { path: commentPathSchema, body: voteBodySchema },
    responses: {
      201: { description: "The reader's first vote.", schema: commentVoteSchema },
      200: { description: 'A vote that replaces or repeats an earlier one.', schema: commentVoteSchema },
      ...bannedReaderResponses,
      ...errorResponses([400, 401, 404, 413, 415, 500]),
    },
  },
  'POST /comments/{commentId}/flags': {
    summary: 'Flag a comment',
    tags,
    request: { path: commentPathSchema, body: flagBodySchema },
    responses: {
      201: { description: 'The flag is recorded.', schema: commentFlagSchema },
      ...bannedReaderResponses,
      ...errorResponses([400, 401, 404, 409, 413, 415, 500], { 409: 'This reader already flagged the comment.' }),
    },
  },
  'PUT /comments/{commentId}/text': {
    summary: 'Change the text of your own comment',
    description:
      'The author, with the reader token they posted with, within 15 minutes of posting. The new ' +
      'text passes the same rules as a new comment (a held word sends it to the editors); the text ' +
      'it replaces is kept for the editors, and the comment shows `edited: true`.',
    tags,
    request: { path: commentPathSchema, body: editCommentBodySchema },
    responses: {
      200: { description: 'The comment as changed.', schema: ownCommentViewSchema },
      ...authorOnlyResponses,
      ...errorResponses([400, 401, 404, 409, 413, 415, 422, 429, 500], {
        409: '`edit_window_closed` after 15 minutes; `not_editable` once editors have hidden, rejected or readers flagged it.',
        422: 'The moderation rules refuse the new text.',
      }),
    },
  },
  'DELETE /comments/{commentId}': {
    summary: 'Delete your own comment',
    description: 'The author, within 15 minutes of posting. Final; deleting it again answers the same.',
    tags,
    request: { path: commentPathSchema },
    responses: {
      204: { description: 'The comment is deleted.' },
      ...authorOnlyResponses,
      ...errorResponses([400, 401, 404, 409, 500], {
        409: '`edit_window_closed`: more than 15 minutes after posting.',
      }),
    },
  },
  'GET /moderation/comments': {
    summary: 'The moderation queue',
    description:
      'Comments held by the rules (`pending`) or hidden by flags (`flagged`), oldest first, each with ' +
      'its story’s headline and link and the comment it answers; `counts` says how many each queue ' +
      'holds, counted for this answer. For the author’s history, open the reader (`readerId`).',
    tags,
    request: { query: moderationQueueQuerySchema },
    responses: {
      200: { description: 'A page of comments as editors see them, and both counts.', schema: moderationPageSchema },
      ...errorResponses([400, 401, 403, 500]),
    },
  },
  'GET /moderation/readers/{readerId}': {
    summary: 'Open a reader',
    description:
      'What editors weigh before a ban: the ban in force and every ban and lifting, and a page each of the ' +
      "reader's comments (with the texts they replaced) and flags, newest first. A reader who has done " +
      'nothing yet has an empty record.',
    tags,
    request: { path: readerPathSchema, query: readerRecordQuerySchema },
    responses: {
      200: { description: 'The reader as editors see them.', schema: readerRecordSchema },
      ...errorResponses([400, 401, 403, 500]),
    },
  },
  'PATCH /comments/{commentId}': {
    summary: 'Moderate a comment, or take back a decision',
    description:
      '`{ "status" }` decides (`deleted` is final). `{ "undo": { "status", "moderatedAt" } }` takes back ' +
      'an approve, reject or hide, named as its answer gave it, while it is still in force: the comment ' +
      'returns to the status it had (`undoTo`), with its unreviewed flags and its place in the queue.',
    tags,
    request: { path: commentPathSchema, body: moderateBodySchema },
    responses: {
      200: { description: 'The comment after the decision or the undo.', schema: editorCommentViewSchema },
      ...errorResponses([400, 401, 403, 404, 409, 413, 415, 500], {
        409: 'A deleted comment cannot change; `nothing_to_undo` when the decision named is no longer in force.',
      }),
    },
  },
  'PATCH /articles/{articleId}/comment-settings': {
    summary: 'Close or reopen comments on a story',
    tags,
    request: { path: articlePathSchema, body: commentSettingsBodySchema },
    responses: {
      200: { description: 'The settings as changed.', schema: commentSettingsSchema },
      ...errorResponses([400, 401, 403, 404, 413, 415, 500]),
    },
  },
};
