/**
 * The response shapes of the comment routes, each defined once as a schema: the types the domain
 * returns are their outputs, and the API contract (shared/http/contracts) describes and checks
 * the responses with the very same schemas. The domain and the handlers import this module with
 * `import type` only: schemas built at a module's top level are not tree-shaken, so a runtime
 * import would carry all of them into a bundle that never uses one.
 */
import * as z from '../validation';
import { banRecordSchema } from '../identity/identity-shapes';
import { COMMENT_ORIGINS, COMMENT_STATUSES, FLAG_REASONS } from './comment';

/** Opaque; pass back to get the next page. Null on the last page. */
const nextCursor = z.nullable(z.string());

/** A comment as readers get it. */
export const commentViewSchema = z.strictObject({
  id: z.string(),
  articleId: z.string(),
  threadId: z.string(),
  parentId: z.nullable(z.string()),
  author: z.nullable(z.string()),
  /** The author is signed in on the news site, which vouches for the name. */
  verified: z.boolean(),
  body: z.string(),
  createdAt: z.string(),
  /** The author changed the text after posting. */
  edited: z.boolean(),
  status: z.enum(COMMENT_STATUSES),
  score: z.number(),
  replyCount: z.number(),
});
export type CommentView = z.output<typeof commentViewSchema>;

/** A comment as its author gets it after posting or editing: with their own reader id. */
export const ownCommentViewSchema = z.strictObject({ ...commentViewSchema.shape, readerId: z.string() });
export type OwnCommentView = z.output<typeof ownCommentViewSchema>;

/** A top-level comment in a story's listing, with the start of its thread. */
export const threadViewSchema = z.strictObject({
  ...commentViewSchema.shape,
  replies: z.array(commentViewSchema),
  /** Pass to `GET /comments/{id}/replies` for the replies after these; null when there are none. */
  repliesCursor: z.nullable(z.string()),
});
export type ThreadView = z.output<typeof threadViewSchema>;

export const commentListingSchema = z.strictObject({
  items: z.array(threadViewSchema),
  /** Visible comments on the story, replies included: the same number as the story's `counts.comments`. */
  total: z.number(),
  nextCursor,
  commentsOpen: z.boolean(),
});
export type CommentListing = z.output<typeof commentListingSchema>;

export const repliesPageSchema = z.strictObject({ items: z.array(commentViewSchema), total: z.number(), nextCursor });
export type RepliesPage = z.output<typeof repliesPageSchema>;

/** A comment as editors see it in the moderation queue and after a decision. */
export const editorCommentViewSchema = z.strictObject({
  ...commentViewSchema.shape,
  /** The author's reader id, to open their record (`GET /moderation/readers/{readerId}`); null for imported comments. */
  readerId: z.nullable(z.string()),
  editedAt: z.nullable(z.string()),
  origin: z.enum(COMMENT_ORIGINS),
  heldFor: z.nullable(z.string()),
  flags: z.strictObject({
    count: z.number(),
    sinceReview: z.number(),
    /** Distinct sources (addresses) among the counted flags since review. */
    sourcesSinceReview: z.number(),
    reasons: z.record(z.enum(FLAG_REASONS), z.number()),
  }),
  /** `rules`, `readers`, `author`, or the subject of the editor who decided (or took a decision back). */
  moderatedBy: z.nullable(z.string()),
  moderatedAt: z.nullable(z.string()),
  /**
   * The status taking back the last decision would return the comment to (`PATCH` with `undo`),
   * while that approve, reject or hide is still in force; null when there is nothing to take back.
   */
  undoTo: z.nullable(z.enum(COMMENT_STATUSES)),
});
export type EditorCommentView = z.output<typeof editorCommentViewSchema>;

/** One reader as editors see them (`GET /moderation/readers/{readerId}`). */
export const readerRecordSchema = z.strictObject({
  readerId: z.string(),
  /** The ban in force, or null. `until` null: until an editor lifts it. */
  ban: z.nullable(z.strictObject({ until: z.nullable(z.string()) })),
  /** Every ban and lifting, newest first. */
  banHistory: z.array(banRecordSchema),
  comments: z.strictObject({
    items: z.array(
      z.strictObject({
        ...editorCommentViewSchema.shape,
        /** The texts the author replaced, oldest first; empty unless edited. */
        replacedTexts: z.array(z.strictObject({ body: z.string(), replacedAt: z.string() })),
      }),
    ),
    nextCursor,
  }),
  flags: z.strictObject({
    items: z.array(
      z.strictObject({
        commentId: z.string(),
        articleId: z.string(),
        reason: z.enum(FLAG_REASONS),
        flaggedAt: z.string(),
        /** False when it came from a brand-new identity and counted for nothing. */
        counted: z.boolean(),
      }),
    ),
    nextCursor,
  }),
});
export type ReaderRecord = z.output<typeof readerRecordSchema>;

/** A queued comment with what an editor reads it against: its story and the comment it answers. */
export const moderationItemSchema = z.strictObject({
  ...editorCommentViewSchema.shape,
  /** The story's headline and its page (`canonicalUrl`, when the source named one); null if the story is gone. */
  story: z.nullable(z.strictObject({ headline: z.string(), canonicalUrl: z.nullable(z.string()) })),
  /** The comment this one answers, whatever its status; null for a top-level comment (or one no longer stored). */
  parent: z.nullable(commentViewSchema),
});
export type ModerationItem = z.output<typeof moderationItemSchema>;

export const moderationPageSchema = z.strictObject({
  items: z.array(moderationItemSchema),
  nextCursor,
  /**
   * How many comments each queue holds, counted for this answer (not a kept total): the same
   * number as paging through the queue would find, a moment after a decision reaches the index.
   */
  counts: z.strictObject({ pending: z.number(), flagged: z.number() }),
});
export type ModerationPage = z.output<typeof moderationPageSchema>;

export const commentVoteSchema = z.strictObject({
  commentId: z.string(),
  value: z.literal([1, -1]),
  /** The reader's earlier vote, which this one replaced; null for a first vote. */
  previousValue: z.nullable(z.literal([1, -1])),
});
export type VoteResult = z.output<typeof commentVoteSchema>;

export const commentFlagSchema = z.strictObject({
  commentId: z.string(),
  reason: z.enum(FLAG_REASONS),
  /** False for a reader whose token is younger than FLAG_MIN_READER_AGE_SECONDS: recorded, counted for nothing. */
  counted: z.boolean(),
});
export type FlagResult = z.output<typeof commentFlagSchema>;

export const commentSettingsSchema = z.strictObject({
  articleId: z.string(),
  commentsOpen: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type CommentSettingsView = z.output<typeof commentSettingsSchema>;
