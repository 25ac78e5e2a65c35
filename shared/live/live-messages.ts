/**
 * What a bus event means for the pages readers have open, and the messages that say it. Pure:
 * the store reads and the publishing are the caller's (`publish-live-update.ts`).
 */
import { publicCorrection, type Correction } from '../articles/corrections';
import { ARTICLE_ID_PATTERN } from '../articles/identity';
import { COMMENT_ID_PATTERN, isVisible, type Comment } from '../comments/comment';
import { toCommentView } from '../comments/comment-view';
import { DETAIL_TYPES, type PollTallyUpdatedDetail } from '../events/catalog';
import { wholePercents } from '../polls/results';
import type { DomainEvent } from '../ports';
import type { LiveMessage } from './live-shapes';

/** The bus events live updates are made from (the publisher's rule selects these). */
export const LIVE_DETAIL_TYPES = [
  DETAIL_TYPES.pollTallyUpdated,
  DETAIL_TYPES.commentPosted,
  DETAIL_TYPES.commentEdited,
  DETAIL_TYPES.commentModerated,
  DETAIL_TYPES.errorReportResolved,
] as const;
export type LiveDetailType = (typeof LIVE_DETAIL_TYPES)[number];
export type LiveEvent = Extract<DomainEvent, { detailType: LiveDetailType }>;

export type LivePollMessage = Extract<LiveMessage, { kind: 'poll' }>;
export type LiveCommentMessage = Extract<LiveMessage, { kind: 'comment' | 'comment-removed' }>;
export type LiveCorrectionsMessage = Extract<LiveMessage, { kind: 'corrections' }>;

/**
 * What an event asks for: a poll message it carries whole; a comment's or the corrections'
 * state, which the store has (events about them carry no text); or nothing.
 */
export type LiveUpdatePlan =
  | { kind: 'poll'; message: LivePollMessage }
  | { kind: 'comment'; articleId: string; commentId: string }
  | { kind: 'corrections'; articleId: string }
  | { kind: 'none'; reason: string };

const LIVE_DETAIL_TYPE_SET: ReadonlySet<string> = new Set(LIVE_DETAIL_TYPES);
const COMMENT_DETAIL_TYPES: ReadonlySet<string> = new Set([
  DETAIL_TYPES.commentPosted,
  DETAIL_TYPES.commentEdited,
  DETAIL_TYPES.commentModerated,
]);

/**
 * A bus event as a live event, or why it is not one. The bus carries only this backend's own
 * events (the rule matches its source), so the details are taken as the catalog describes them;
 * what is checked is what becomes a key or a channel name: the story's id and the comment's.
 */
export function readLiveEvent(detailType: string, detail: unknown): LiveEvent | { invalid: string } {
  if (!LIVE_DETAIL_TYPE_SET.has(detailType)) return { invalid: `not a live update event: ${detailType}` };
  const fields = (detail ?? {}) as { articleId?: unknown; commentId?: unknown };
  if (typeof fields.articleId !== 'string' || !ARTICLE_ID_PATTERN.test(fields.articleId)) {
    return { invalid: 'no valid article id' };
  }
  if (
    COMMENT_DETAIL_TYPES.has(detailType) &&
    (typeof fields.commentId !== 'string' || !COMMENT_ID_PATTERN.test(fields.commentId))
  ) {
    return { invalid: 'no valid comment id' };
  }
  return { detailType, detail } as LiveEvent;
}

/**
 * Reads an event. The rule delivers only the events below, but the decision is made here too,
 * so an event the rule lets through by mistake (or a replay from the archive) publishes nothing
 * it should not: a pending comment, a change between two hidden states, a rejected report.
 */
export function planLiveUpdate(event: LiveEvent): LiveUpdatePlan {
  switch (event.detailType) {
    case DETAIL_TYPES.pollTallyUpdated:
      return { kind: 'poll', message: pollMessage(event.detail) };
    case DETAIL_TYPES.commentPosted: {
      const { detail } = event;
      // Imported comments arrive in bulk with a story's first ingest, before any page shows it;
      // pages opened later list them. Held comments are not for readers.
      if (detail.origin !== 'reader') return { kind: 'none', reason: 'imported comment' };
      if (detail.status !== 'approved') return { kind: 'none', reason: 'comment not approved' };
      return { kind: 'comment', articleId: detail.articleId, commentId: detail.commentId };
    }
    case DETAIL_TYPES.commentEdited:
      if (event.detail.status !== 'approved') return { kind: 'none', reason: 'edited comment not approved' };
      return { kind: 'comment', articleId: event.detail.articleId, commentId: event.detail.commentId };
    case DETAIL_TYPES.commentModerated: {
      const { detail } = event;
      // Shown (to approved) or taken away (from approved); a change between hidden states
      // (pending to rejected, flagged to hidden) changes nothing a reader sees.
      if (detail.status !== 'approved' && detail.previousStatus !== 'approved') {
        return { kind: 'none', reason: 'comment was not and is not visible' };
      }
      return { kind: 'comment', articleId: detail.articleId, commentId: detail.commentId };
    }
    case DETAIL_TYPES.errorReportResolved:
      if (event.detail.status !== 'corrected' || event.detail.correction === null) {
        return { kind: 'none', reason: 'report closed without a correction' };
      }
      return { kind: 'corrections', articleId: event.detail.articleId };
  }
}

/**
 * The whole tally as the results route shows it (whole percents by the same largest-remainder
 * rule), so a page that applies it shows what a reload would; absolute, so a page that missed
 * one is healed by the next.
 */
export function pollMessage(detail: PollTallyUpdatedDetail): LivePollMessage {
  const percents = wholePercents(detail.options.map((option) => option.votes));
  return {
    kind: 'poll',
    articleId: detail.articleId,
    version: detail.version,
    question: detail.question,
    options: detail.options.map((option, i) => ({
      id: option.id,
      label: option.label,
      votes: option.votes,
      percent: percents[i]!,
    })),
    totalVotes: detail.totalVotes,
    updatedAt: detail.updatedAt,
  };
}

/**
 * The comment as the store has it now, not as the event saw it: readers get what they would
 * get from the listing at this moment. Approved: the listing's public view (`toCommentView`,
 * the very function the listing uses: no reader id, no source, no review fields). Anything
 * else: that it is gone. Both carry the stored version, by which subscribers order them.
 */
export function commentMessage(comment: Comment): LiveCommentMessage {
  if (isVisible(comment)) {
    return { kind: 'comment', articleId: comment.articleId, version: comment.version, comment: toCommentView(comment) };
  }
  return { kind: 'comment-removed', articleId: comment.articleId, commentId: comment.id, version: comment.version };
}

/** The story's published corrections, all of them, as readers see them (never the reports behind them). */
export function correctionsMessage(articleId: string, corrections: readonly Correction[]): LiveCorrectionsMessage {
  return { kind: 'corrections', articleId, corrections: corrections.map(publicCorrection) };
}
