import type * as z from '../validation';
import { ValidationError } from '../errors';

/**
 * Paging cursors are DynamoDB start keys, base64url-encoded so clients treat them as opaque.
 * On the way back in they are checked against the exact key shape of the query they belong to:
 * a cursor that was edited, truncated or taken from another listing is a 400, never a query.
 */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const MAX_CURSOR_LENGTH = 1024;

/** @param path the parameter that carried the cursor, named in the 400 */
export function decodeCursor<S extends z.ZodMiniType>(
  cursor: string,
  keySchema: S,
  path = 'query.cursor',
): z.output<S> {
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ path, message: 'Not a cursor issued by this listing' }]);
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = keySchema.safeParse(decoded);
  if (!result.success) throw invalid();
  return result.data;
}
