/**
 * The request shapes of the ban routes, validated at the edge. A reason is normalized here (NFC,
 * trimmed) before its length is checked, so the limit applies to what is stored. Whether `until`
 * lies in the future is the domain's rule (reader-bans), which knows the time.
 */
import * as z from '../validation';
import { readerIdSchema } from './identity-shapes';
import { isDateTime } from './reader-token';

export const BAN_REASON_LIMITS = { min: 1, max: 500 } as const;

/** C0 and C1 controls and DEL, except tab and line breaks. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const readerPathSchema = z.object({ readerId: readerIdSchema });

export const banBodySchema = z.strictObject({
  // `null` is taken as absent: a ban without an expiry, until an editor lifts it.
  until: z.optional(
    z.nullable(
      z.pipe(
        z
          .string()
          .check(
            z.refine(isDateTime, 'Must be an ISO-8601 date and time with an offset, e.g. 2030-01-31T00:00:00Z'),
            z.describe(
              'When the ban ends: an ISO-8601 date and time with an offset, in the future and at most ten years ' +
                'ahead. Absent or null: until an editor lifts it.',
            ),
          ),
        z.transform((value: string) => new Date(value)),
      ),
    ),
  ),
  reason: z.optional(
    z.nullable(
      z.string().check(
        z.overwrite((value) => value.normalize('NFC').trim()),
        z.minLength(BAN_REASON_LIMITS.min, 'Must not be empty'),
        z.refine(
          (value) => [...value].length <= BAN_REASON_LIMITS.max,
          `Must be at most ${BAN_REASON_LIMITS.max} characters`,
        ),
        z.refine(
          (value) => !CONTROL_EXCEPT_LINE_BREAKS.test(value),
          'Must not contain control characters (line breaks and tabs are allowed)',
        ),
        z.refine((value) => !/\p{Cs}/u.test(value), 'Must be valid Unicode text (no unpaired surrogates)'),
        z.describe(`Why, for the editors (the reader is not told): at most ${BAN_REASON_LIMITS.max} characters.`),
      ),
    ),
  ),
});
