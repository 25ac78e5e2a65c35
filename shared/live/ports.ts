import type { LiveMessage, LiveMessageKind } from './live-shapes';

/** Publishes live updates to a channel (AppSync Events' HTTP publish in both hosts). */
export interface LiveUpdatesPublisher {
  /**
   * Publishes every message to the channel, in order, or throws: a throw lets the caller's retry
   * publish them again (subscribers apply messages by version, so a repeat changes nothing).
   */
  publish(channel: string, messages: readonly LiveMessage[]): Promise<void>;
}

/**
 * A claim on the right to publish one message: the story's slot for the message's kind in one
 * wall-clock second, for the version of the state the message carries.
 */
export interface SlotClaim {
  articleId: string;
  kind: LiveMessageKind;
  /** The wall-clock second (epoch seconds) the message would go out in. */
  second: number;
  /**
   * The version of the state the message carries: the tally's, the comment's, or the number of
   * corrections (they are only ever added, so more is newer).
   */
  version: number;
  /**
   * For `comment` and `comment-removed`: the comment whose versions the claim is ordered by (its
   * own slot, shared by both kinds, so a removal and a later approval stay in order). Absent for
   * `poll` and `corrections`, which are ordered by the story's slot itself.
   */
  commentId?: string;
  /**
   * Who claims: the bus event's id. A claim of the version already claimed succeeds again for the
   * same claimant only, so the retry of an event whose publish failed publishes it, while another
   * event that found the same state (a duplicate) does not publish it twice.
   */
  claimant: string;
}

/**
 * `claimed`: publish now. `superseded`: a newer version (or this one, for another claimant) was
 * claimed; publish nothing. `busy`: the second is taken; try again in the next one.
 */
export type ClaimOutcome = 'claimed' | 'superseded' | 'busy';

/**
 * The coalescing slots, kept where every instance of the publisher sees them (the table), so
 * the order of versions (and the limit of one state message per story, kind and second) holds
 * however many instances run.
 */
export interface LiveSlots {
  /** Claims the slot with one conditional write; never waits. */
  claim(claim: SlotClaim): Promise<ClaimOutcome>;
}
