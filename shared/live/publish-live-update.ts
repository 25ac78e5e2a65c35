/**
 * One bus event → at most one message on the story's channel, ordered across every instance of
 * the publisher: never an older state after a newer one was claimed, and the story's states
 * (`poll`, `corrections`) at most once per story, kind and wall-clock second.
 *
 * How it holds across instances: before publishing, an instance claims a slot (an item in the
 * table) with one conditional write (`LiveSlots`).
 * - States (`poll`, `corrections`): the story's slot for the kind holds the second and version of
 *   the last claim; a claim needs both to be older (or this version by this same event, whose
 *   earlier attempt may have failed to publish). A state is absolute, so coalescing loses nothing:
 *   `superseded` (a newer state was claimed; it is on its way or out) drops this one, and `busy`
 *   (this second's message is taken by an older or equal state) waits for the next second and
 *   claims again. The latest state is never dropped, only delayed: either it wins a later second,
 *   or a still newer one does and stands for it.
 * - Comments (`comment`, `comment-removed`): the comment's own slot holds the version of its last
 *   message; an older one is `superseded`. They are not held to a second: each is a change no later
 *   message carries, so coalescing could only delay them, and a burst of a hundred comments on one
 *   story would hold a hundred invocations asleep for up to a hundred seconds (Lambda concurrency
 *   and duration paid for waiting, the last comment reaching pages minutes late). Their rate is
 *   already bounded where they are written (per-source posting limits, moderation), and each
 *   costs its subscribers one delivery, as the comment listing would on a reload.
 * Waiting stops at the caller's deadline (its remaining time, less what a publish needs) with a
 * {@link LiveSlotBusyError}: the invocation fails, Lambda invokes it again later, and after its
 * retries the event ends in the dead-letter queue.
 *
 * Retries: the claim is written before the publish, so a crash between the two leaves a claimed
 * but unpublished version. The event's retry claims it again (same claimant, a later second) and
 * publishes it. A retry after a publish that did go out publishes it once more: harmless, as
 * subscribers apply messages by version and ignore what they already have.
 */
import type { Clock } from '../ports';
import type { Comment } from '../comments/comment';
import type { Correction } from '../articles/corrections';
import { storyChannel } from './channels';
import {
  commentMessage,
  correctionsMessage,
  planLiveUpdate,
  type LiveEvent,
  type LiveCommentMessage,
  type LiveCorrectionsMessage,
  type LivePollMessage,
} from './live-messages';
import type { LiveSlots, LiveUpdatesPublisher, SlotClaim } from './ports';

export interface LiveUpdateDependencies {
  publisher: LiveUpdatesPublisher;
  slots: LiveSlots;
  /** A strongly consistent read of a comment: the state right after the change the event reports. */
  comments: { get(commentId: string): Promise<Comment | null> };
  /** The story's published corrections, oldest first, read consistently. */
  corrections: { list(articleId: string): Promise<Correction[]> };
  clock: Clock;
  sleep(ms: number): Promise<void>;
}

export interface LiveUpdateOptions {
  /** The bus event's id: its retries may claim the version it claimed again (see `SlotClaim`). */
  claimant: string;
  /** No claim is tried after this: the caller needs the rest of its time to publish. */
  deadline: Date;
}

export type LiveUpdateOutcome =
  | { outcome: 'published'; articleId: string; kind: string; version: number; waitedMs: number }
  | { outcome: 'superseded'; articleId: string; kind: string; version: number }
  | { outcome: 'nothing'; reason: string };

/** The story's slot stayed taken until the deadline; the event is to be tried again later. */
export class LiveSlotBusyError extends Error {
  constructor(articleId: string, kind: string) {
    super(`The ${kind} slot of story ${articleId} stayed taken until the deadline; try the event again`);
    this.name = 'LiveSlotBusyError';
  }
}

type Prepared = {
  message: LivePollMessage | LiveCommentMessage | LiveCorrectionsMessage;
  claim: Omit<SlotClaim, 'second' | 'claimant'>;
};

/** Publishes what the event means for open pages, at most once a second per story and kind. */
export async function publishLiveUpdate(
  deps: LiveUpdateDependencies,
  event: LiveEvent,
  options: LiveUpdateOptions,
): Promise<LiveUpdateOutcome> {
  const prepared = await prepare(deps, event);
  if ('reason' in prepared) return { outcome: 'nothing', reason: prepared.reason };
  const { message, claim } = prepared;
  const startedAt = deps.clock.now().getTime();
  for (;;) {
    const now = deps.clock.now().getTime();
    const second = Math.floor(now / 1000);
    const outcome = await deps.slots.claim({ ...claim, second, claimant: options.claimant });
    if (outcome === 'superseded')
      return { outcome, articleId: claim.articleId, kind: claim.kind, version: claim.version };
    if (outcome === 'claimed') {
      await deps.publisher.publish(storyChannel(claim.articleId), [message]);
      return {
        outcome: 'published',
        articleId: claim.articleId,
        kind: claim.kind,
        version: claim.version,
        waitedMs: now - startedAt,
      };
    }
    const nextSecond = (second + 1) * 1000;
    if (nextSecond > options.deadline.getTime()) throw new LiveSlotBusyError(claim.articleId, claim.kind);
    await deps.sleep(Math.max(0, nextSecond - deps.clock.now().getTime()));
  }
}

/** The message and its claim, read from the event or, for comments and corrections, the store. */
async function prepare(deps: LiveUpdateDependencies, event: LiveEvent): Promise<Prepared | { reason: string }> {
  const plan = planLiveUpdate(event);
  switch (plan.kind) {
    case 'none':
      return { reason: plan.reason };
    case 'poll': {
      const { message } = plan;
      return { message, claim: { articleId: message.articleId, kind: 'poll', version: message.version } };
    }
    case 'comment': {
      const comment = await deps.comments.get(plan.commentId);
      // Comment ids name their story, so a mismatch means a malformed event; nothing to say.
      if (!comment || comment.articleId !== plan.articleId) return { reason: 'comment not found' };
      const message = commentMessage(comment);
      return {
        message,
        claim: { articleId: comment.articleId, kind: message.kind, version: comment.version, commentId: comment.id },
      };
    }
    case 'corrections': {
      const corrections = await deps.corrections.list(plan.articleId);
      // Read consistently after the event, so the correction it announces is there; none means
      // the story is gone.
      if (corrections.length === 0) return { reason: 'story has no corrections' };
      // Corrections are only ever added: the longer list is the newer state.
      return {
        message: correctionsMessage(plan.articleId, corrections),
        claim: { articleId: plan.articleId, kind: 'corrections', version: corrections.length },
      };
    }
  }
}
