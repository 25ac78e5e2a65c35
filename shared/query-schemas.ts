/**
 * Query parameter shapes shared by the listing routes. Query values arrive as strings, so a
 * number is checked as digits first and converted after, and the limit names its own bounds.
 */
import { LIMITS } from './limits';
import * as z from './validation';

/**
 * `limit`: a whole number from 1 to `max` (the page size cap unless a route sets its own); the
 * description tells API readers the bounds and the default the handler applies when it is absent.
 */
export function limitParameter(max: number = LIMITS.pageSize.max, defaultSize: number = LIMITS.pageSize.default) {
  return z.optional(
    z.pipe(
      z
        .string()
        .check(
          z.regex(/^\d{1,3}$/, 'Must be a whole number'),
          z.describe(`How many items: a whole number from 1 to ${max}; ${defaultSize} when absent.`),
        ),
      z.pipe(z.transform(Number), z.number().check(z.minimum(1), z.maximum(max))),
    ),
  );
}

/** `cursor`: the opaque `nextCursor` of the previous page. */
export const cursorParameter = z.optional(
  z.string().check(z.minLength(1), z.describe('The `nextCursor` of the previous page, to get the next one.')),
);
