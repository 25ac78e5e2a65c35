import { NotFoundError } from '../errors';
import { isTopLevel, isVisible, type QueueStatus } from './comment';
import type { CommentConfig } from './comment-config';
import type { CommentListing, ModerationItem, ModerationPage, RepliesPage, ThreadView } from './comment-shapes';
import { toCommentView, toEditorView } from './comment-view';
import type { CommentListings, CommentStore, ModerationContext, ThreadOrder } from './ports';

/**
 * A page of a story's visible top-level comments, each with its reply count and first
 * replies. The total is the maintained count, never a count made for this request.
 */
export async function listComments(
  deps: {
    comments: Pick<CommentStore, 'articleState'>;
    listings: Pick<CommentListings, 'listThreads' | 'listReplies'>;
    config: Pick<CommentConfig, 'firstReplies'>;
  },
  query: { articleId: string; order: ThreadOrder; limit: number; cursor?: string },
): Promise<CommentListing> {
  const page = { limit: query.limit, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) };
  const [state, threads] = await Promise.all([
    deps.comments.articleState(query.articleId),
    deps.listings.listThreads(query.articleId, query.order, page),
  ]);
  if (!state) throw new NotFoundError(`No article ${query.articleId}`);
  const firstReplies = deps.config.firstReplies;
  const items = await Promise.all(
    threads.items.map(async (thread): Promise<ThreadView> => {
      if (thread.replyCount === 0 || firstReplies === 0) {
        return { ...toCommentView(thread), replies: [], repliesCursor: null };
      }
      const replies = await deps.listings.listReplies(thread.id, { limit: firstReplies });
      return { ...toCommentView(thread), replies: replies.items.map(toCommentView), repliesCursor: replies.nextCursor };
    }),
  );
  return { items, total: state.visibleTotal, nextCursor: threads.nextCursor, commentsOpen: state.commentsOpen };
}

/** A page of the visible replies of a visible top-level comment, oldest first. */
export async function listReplies(
  deps: { comments: Pick<CommentStore, 'get'>; listings: Pick<CommentListings, 'listReplies'> },
  query: { commentId: string; limit: number; cursor?: string },
): Promise<RepliesPage> {
  const thread = await deps.comments.get(query.commentId);
  if (!thread || !isVisible(thread)) throw new NotFoundError(`No comment ${query.commentId}`);
  if (!isTopLevel(thread)) {
    throw new NotFoundError(`Comment ${query.commentId} is a reply; its thread is ${thread.threadId}`, [
      { path: 'path.commentId', message: 'Not a top-level comment' },
    ]);
  }
  const page = await deps.listings.listReplies(thread.id, {
    limit: query.limit,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  return { items: page.items.map(toCommentView), total: thread.replyCount, nextCursor: page.nextCursor };
}

/**
 * The editors' queue: comments held by the rules (`pending`) or hidden by flags (`flagged`),
 * oldest first, each with its story's headline and link and the comment it answers, and how many
 * each queue holds. The counts are counted for each answer, so they are exact as of the index.
 */
export async function listModerationQueue(
  deps: { listings: Pick<CommentListings, 'listQueue' | 'countQueue'>; context: ModerationContext },
  query: { status: QueueStatus; limit: number; cursor?: string },
): Promise<ModerationPage> {
  const [page, pending, flagged] = await Promise.all([
    deps.listings.listQueue(query.status, {
      limit: query.limit,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    }),
    deps.listings.countQueue('pending'),
    deps.listings.countQueue('flagged'),
  ]);
  const parentIds = page.items.flatMap((comment) => (comment.parentId === null ? [] : [comment.parentId]));
  const [stories, parents] = await Promise.all([
    deps.context.stories([...new Set(page.items.map((comment) => comment.articleId))]),
    deps.context.comments([...new Set(parentIds)]),
  ]);
  const items = page.items.map((comment): ModerationItem => {
    const parent = comment.parentId === null ? undefined : parents.get(comment.parentId);
    return {
      ...toEditorView(comment),
      story: stories.get(comment.articleId) ?? null,
      parent: parent ? toCommentView(parent) : null,
    };
  });
  return { items, nextCursor: page.nextCursor, counts: { pending, flagged } };
}
