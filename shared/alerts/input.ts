/** The query of `GET /editor/alerts`, validated at the edge. */
import { cursorParameter, limitParameter } from '../query-schemas';
import * as z from '../validation';

export const alertsQuerySchema = z.strictObject({
  since: z.optional(
    z.iso
      .datetime({ offset: true })
      .check(
        z.describe(
          'Only alerts recorded at or after this ISO-8601 time: the `recordedAt` of the newest alert already seen. Absent: every alert kept (14 days).',
        ),
      ),
  ),
  limit: limitParameter(),
  cursor: cursorParameter,
});
