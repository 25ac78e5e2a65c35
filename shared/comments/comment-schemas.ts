/**
 * The request shapes of the comment routes, validated at the edge. Text fields are normalized
 * here (NFC, trimmed) before their limits are checked, so the limits apply to what is stored.
 */
import { ARTICLE_ID_PATTERN } from '../articles/identity';
import { LIMITS } from '../limits';
import * as z from '../validation';
import { COMMENT_ID_PATTERN, FLAG_REASONS, QUEUE_STATUSES } from './comment';
import {
  characterCount,
  COMMENT_TEXT_LIMITS,
  hasAuthorControlCharacters,
  hasBodyControlCharacters,
  hasUnpairedSurrogates,
  normalizeText,
} from './text';

const articleId = z.string().check(z.regex(ARTICLE_ID_PATTERN, 'Must be 16 hexadecimal digits'));
const commentId = z.string().check(z.regex(COMMENT_ID_PATTERN, 'Must be a comment id'));

export const articlePathSchema = z.object({ articleId });
export const commentPathSchema = z.object({ commentId });

function text(limits: { min: number; max: number }, hasControlCharacters: (text: string) => boolean, what: string) {
  return z.string().check(
    z.overwrite(normalizeText),
    z.minLength(limits.min, `Must not be empty`),
    z.refine((value) => characterCount(value) <= limits.max, `Must be at most ${limits.max} characters`),
    z.refine((value) => !hasControlCharacters(value), `Must not contain control characters${what}`),
    z.refine((value) => !hasUnpairedSurrogates(value), 'Must be valid Unicode text (no unpaired surrogates)'),
  );
}

const commentBody = text(COMMENT_TEXT_LIMITS.body, hasBodyControlCharacters, ' (line breaks and tabs are allowed)');

export const postCommentBodySchema = z.strictObject({
  /** Required from anonymous readers; a signed-in reader is shown by the site's name instead. */
  author: z.optional(text(COMMENT_TEXT_LIMITS.author, hasAuthorControlCharacters, '')),
  body: commentBody,
  parentId: z.optional(z.nullable(commentId)),
});

export const editCommentBodySchema = z.strictObject({ body: commentBody });

export const voteBodySchema = z.strictObject({ value: z.literal([1, -1], 'Must be 1 or -1') });
export const flagBodySchema = z.strictObject({ reason: z.enum(FLAG_REASONS) });
export const commentSettingsBodySchema = z.strictObject({ commentsOpen: z.boolean() });

/** `Idempotency-Key`: visible ASCII, as long as a UUID or a little longer; other headers pass. */
export const idempotencyHeaderSchema = z.object({
  'idempotency-key': z.optional(
    z.string().check(z.regex(/^[\x21-\x7e]{1,255}$/, 'Must be 1 to 255 visible ASCII characters')),
  ),
});

const limit = z.optional(
  z.pipe(
    z.string().check(z.regex(/^\d{1,3}$/, 'Must be a whole number')),
    z.pipe(z.transform(Number), z.number().check(z.minimum(1), z.maximum(LIMITS.pageSize.max))),
  ),
);
const cursor = z.optional(z.string().check(z.minLength(1)));

export const listCommentsQuerySchema = z.strictObject({
  limit,
  cursor,
  sort: z.optional(z.enum(['newest', 'oldest', 'top'])),
});
export const pageQuerySchema = z.strictObject({ limit, cursor });
export const readerRecordQuerySchema = z.strictObject({ limit, commentsCursor: cursor, flagsCursor: cursor });
export const moderationQueueQuerySchema = z.strictObject({ limit, cursor, status: z.optional(z.enum(QUEUE_STATUSES)) });
