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
