/**
 * The request shapes of the poll routes, validated at the edge. Kept apart from the handlers so
 * the API contract can use them too.
 */
import { limitParameter } from '../query-schemas';
import * as z from '../validation';

/** `GET /polls/top`'s page size: its own bounds, as the list is short and read on every page view. */
export const TOP_POLLS_LIMIT = { default: 10, max: 50 } as const;

export const castVoteBodySchema = z.strictObject({
  option: z.string().check(z.minLength(1), z.maxLength(64)),
});

export const topPollsQuerySchema = z.strictObject({
  since: z.optional(
    z.pipe(
      z
        .string()
        .check(
          z.regex(
            /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
            'Must be a date (2024-03-14) or an ISO-8601 time',
          ),
        ),
      z.pipe(
        z.transform((text: string) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text)),
        z.date('Must be a valid date'),
      ),
    ),
  ),
  limit: limitParameter(TOP_POLLS_LIMIT.max, TOP_POLLS_LIMIT.default),
});
