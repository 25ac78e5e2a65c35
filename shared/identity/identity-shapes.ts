/**
 * The response shapes of the reader identity routes, each defined once as a schema; handlers
 * import this module with `import type` only (see comments/comment-shapes for why).
 */
import * as z from '../validation';
import { READER_ID_PATTERN } from './reader-token';

export const readerIdSchema = z.string().check(z.regex(READER_ID_PATTERN, 'Must be a reader id'));

/** A new anonymous reader: the token to send as `Authorization: Bearer …`, its reader id and expiry. */
export const issuedReaderTokenSchema = z.strictObject({
  token: z.string(),
  readerId: readerIdSchema,
  /** ISO-8601 UTC. */
  expiresAt: z.string(),
});
export type IssuedReaderTokenBody = z.output<typeof issuedReaderTokenSchema>;

/**
 * A ban as `PUT /readers/{readerId}/ban` answers it: until when (ISO-8601 UTC; null: until an
 * editor lifts it), why, and which editor (their token's subject) banned the reader when.
 */
export const readerBanSchema = z.strictObject({
  readerId: readerIdSchema,
  until: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  bannedBy: z.string(),
  bannedAt: z.string(),
});
export type ReaderBanBody = z.output<typeof readerBanSchema>;

/**
 * One entry of a reader's ban history, as stored and as editors read it: a ban (with its `until`
 * and `reason`) or the lifting of one (both null), by an editor's subject, at an ISO-8601 time.
 */
export const banRecordSchema = z.strictObject({
  readerId: readerIdSchema,
  action: z.enum(['banned', 'unbanned']),
  until: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  by: z.string(),
  at: z.string(),
});
export type BanRecord = z.output<typeof banRecordSchema>;
