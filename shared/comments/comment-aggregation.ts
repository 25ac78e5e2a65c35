import type { EmbeddedComment } from '../articles/article';
import { DETAIL_TYPES } from '../events/catalog';
import type { Clock, DomainEvent, EventPublisher } from '../ports';
import { importedCommentId, isVisible, NO_FLAGS, parseCommentId, type Comment, type FlagReason } from './comment';
import type { CommentConfig } from './comment-config';
import { withStatus } from './moderate-comment';
import type { CommentAggregates, CommentStore } from './ports';

/** A committed change of a comment-related item, as read from the table stream. */
export type CommentTableChange =
  | {
      kind: 'comment';
      /** The comment after the change; null when the item was removed. */
      current: Comment | null;
      previous: Comment | null;
      /** Whether the item, as written, was already counted in the totals. */
      counted: boolean;
    }
  | { kind: 'vote'; commentId: string; voteKey: string }
  | {
      kind: 'flag';
      inserted: boolean;
      commentId: string;
      flagKey: string;
      reason: FlagReason;
      /** False for a flag from a brand-new reader identity: recorded, counted for nothing. */
      counts: boolean;
      /** Keyed hash of the address the flag came from. */
      sourceHash: string;
    }
  | { kind: 'article'; articleId: string; embedded: EmbeddedComment[] };

export interface AggregationDependencies {
  comments: Pick<CommentStore, 'get' | 'update' | 'insert'>;
  aggregates: CommentAggregates;
  events: EventPublisher;
  config: Pick<CommentConfig, 'flagThreshold' | 'flagMinDistinctSources'>;
  clock: Clock;
}

const MAX_ATTEMPTS = 8;

/**
 * Brings the totals in line with the comments' visibility, for a batch of changes at once:
 * each comment is settled once, at its latest state in the batch, and the settlement of a
 * story's comments is one write. Runs again without effect (stream delivery is at least once).
 */
export async function settleVisibility(
  deps: Pick<AggregationDependencies, 'aggregates'>,
  changes: readonly CommentTableChange[],
): Promise<void> {
  const latest = new Map<string, { comment: Comment; counted: boolean }>();
  for (const change of changes) {
    // Comments are never removed by the API (deletion is a status), so a removed item has no
    // state left to settle against; the totals keep what they had.
    if (change.kind === 'comment' && change.current)
      latest.set(change.current.id, { comment: change.current, counted: change.counted });
  }
  const unsettled = [...latest.values()]
    .filter(({ comment, counted }) => counted !== isVisible(comment))
    .map(({ comment }) => ({ comment, visible: isVisible(comment) }));
  if (unsettled.length > 0) await deps.aggregates.settleVisibility(unsettled);
}

/**
 * Follows one change through, after {@link settleVisibility} has run for its batch: scores
 * follow votes, flags are counted and hide the comment at the threshold, embedded comments of
 * an ingested page are imported, and the comment events are published. Every step can run
 * again without changing anything twice; events may repeat, and carry what consumers need to
 * tell (ids, the comment's version).
 */
export async function applyCommentChange(deps: AggregationDependencies, change: CommentTableChange): Promise<void> {
  switch (change.kind) {
    case 'comment': {
      const events = change.current ? commentEvents(change.current, change.previous) : [];
      if (events.length > 0) await deps.events.publish(events);
      return;
    }
    case 'vote':
      return deps.aggregates.settleVote(change);
    case 'flag':
      return onFlag(deps, change);
    case 'article':
      return importEmbeddedComments(deps, change.articleId, change.embedded);
  }
}

/**
 * CommentPosted for a new comment; CommentEdited for a change of text, CommentModerated for a
 * change of status (an edit that holds a comment is both); nothing else.
 */
export function commentEvents(current: Comment, previous: Comment | null): DomainEvent[] {
  if (!previous) return [posted(current)];
  const events: DomainEvent[] = [];
  if (current.editedAt !== null && current.editedAt !== previous.editedAt) {
    events.push({
      detailType: DETAIL_TYPES.commentEdited,
      detail: {
        schemaVersion: 1,
        articleId: current.articleId,
        commentId: current.id,
        status: current.status,
        version: current.version,
        editedAt: current.editedAt,
      },
    });
  }
  if (previous.status !== current.status) events.push(moderated(current, previous));
  return events;
}

function posted(current: Comment): DomainEvent {
  return {
    detailType: DETAIL_TYPES.commentPosted,
    detail: {
      schemaVersion: 1,
      articleId: current.articleId,
      commentId: current.id,
      threadId: current.threadId,
      parentId: current.parentId,
      status: current.status,
      origin: current.origin,
      createdAt: current.createdAt,
    },
  };
}

function moderated(current: Comment, previous: Comment): DomainEvent {
  return {
    detailType: DETAIL_TYPES.commentModerated,
    detail: {
      schemaVersion: 1,
      articleId: current.articleId,
      commentId: current.id,
      status: current.status,
      previousStatus: previous.status,
      by: current.moderatedBy ?? 'editor',
      version: current.version,
      at: current.moderatedAt ?? current.createdAt,
    },
  };
}

async function onFlag(
  deps: AggregationDependencies,
  change: Extract<CommentTableChange, { kind: 'flag' }>,
): Promise<void> {
  await deps.aggregates.settleFlag(change);
  // Checked on every flag record, not only when the flag was counted now: an earlier attempt
  // may have counted it and failed before hiding the comment.
  await hideIfFlaggedEnough(deps, change.commentId);
  if (change.inserted) {
    await deps.events.publish([
      {
        detailType: DETAIL_TYPES.commentFlagged,
        detail: {
          schemaVersion: 1,
          articleId: parseCommentId(change.commentId).articleId,
          commentId: change.commentId,
          reason: change.reason,
        },
      },
    ]);
  }
}

/**
 * Hides an approved comment once the counted flags since its last review reach the threshold
 * and come from enough distinct sources (readers are distinct by construction: one flag each).
 */
async function hideIfFlaggedEnough(deps: AggregationDependencies, commentId: string): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await deps.comments.get(commentId);
    if (!current || current.status !== 'approved') return;
    if (current.flagCount - current.flagsAtReview < deps.config.flagThreshold) return;
    if (current.flagSourcesSinceReview < deps.config.flagMinDistinctSources) return;
    if (await deps.comments.update(withStatus(current, 'flagged', 'readers', deps.clock.now()), current.version))
      return;
  }
  throw new Error(`Comment ${commentId} kept changing while being hidden for flags`);
}

/**
 * Stores the comments embedded in an ingested page with their original times. Their ids are
 * derived from the story, time and text, and stored only if absent, so ingesting the page
 * again (or a stream retry) imports nothing twice.
 */
export async function importEmbeddedComments(
  deps: Pick<AggregationDependencies, 'comments'>,
  articleId: string,
  embedded: readonly EmbeddedComment[],
): Promise<void> {
  for (const source of embedded) {
    await deps.comments.insert(importedComment(articleId, source));
  }
}

export function importedComment(articleId: string, source: EmbeddedComment): Comment {
  const id = importedCommentId(articleId, source.postedAt, source.body);
  return {
    id,
    articleId,
    threadId: id,
    parentId: null,
    author: source.author,
    authorId: null,
    verified: false,
    editedAt: null,
    body: source.body,
    createdAt: new Date(source.postedAt).toISOString(),
    status: 'approved',
    score: 0,
    replyCount: 0,
    flagCount: 0,
    flagsAtReview: 0,
    flagSourcesSinceReview: 0,
    flagReasons: { ...NO_FLAGS },
    origin: 'import',
    heldFor: null,
    moderatedBy: null,
    moderatedAt: null,
    queuedAt: null,
    undo: null,
    version: 1,
  };
}
