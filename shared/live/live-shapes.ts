/**
 * The messages pushed to readers' open pages on a story's channel (`/stories/<articleId>` of the
 * Event API's `stories` namespace), each defined once as a schema: the publisher builds them,
 * docs/api.md (Live updates) lists them and a test holds that list to them, and the tests check
 * what subscribers receive against them. Every message is absolute or keyed, so a subscriber that
 * missed one is healed by the next: `poll` carries the whole tally and a version that only grows;
 * `comment` and `comment-removed` carry the comment's own version; `corrections` carries the whole
 * list (they are only ever added). None carries a reader secret: no reader id, token, source or contact.
 *
 * Imported with `import type` by the domain, as the other shape modules are (see poll-shapes).
 */
import * as z from '../validation';
import { correctionSchema } from '../articles/corrections';
import { commentViewSchema } from '../comments/comment-shapes';
import { optionResultSchema } from '../polls/poll-shapes';

export const livePollMessageSchema = z.strictObject({
  kind: z.literal('poll'),
  articleId: z.string(),
  /** The tally's version (`PollTallyUpdated.version`): a subscriber keeps the highest. */
  version: z.number(),
  question: z.string(),
  options: z.array(optionResultSchema),
  totalVotes: z.number(),
  updatedAt: z.string(),
});

/** A comment readers may now see (approved), new or changed: the public view of the listing. */
export const liveCommentMessageSchema = z.strictObject({
  kind: z.literal('comment'),
  articleId: z.string(),
  /** The comment's version: a subscriber ignores a message older than what it has of the comment. */
  version: z.number(),
  comment: commentViewSchema,
});

/** A comment readers may no longer see (hidden, rejected or deleted). */
export const liveCommentRemovedMessageSchema = z.strictObject({
  kind: z.literal('comment-removed'),
  articleId: z.string(),
  commentId: z.string(),
  version: z.number(),
});

/** The story's published corrections, all of them, oldest first. */
export const liveCorrectionsMessageSchema = z.strictObject({
  kind: z.literal('corrections'),
  articleId: z.string(),
  corrections: z.array(correctionSchema),
});

export const liveMessageSchema = z.discriminatedUnion('kind', [
  livePollMessageSchema,
  liveCommentMessageSchema,
  liveCommentRemovedMessageSchema,
  liveCorrectionsMessageSchema,
]);
export type LiveMessage = z.output<typeof liveMessageSchema>;
export type LiveMessageKind = LiveMessage['kind'];
