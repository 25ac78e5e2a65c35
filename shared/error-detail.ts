/**
 * The one definition of an error's detail, as a schema: `DomainError` carries details of this
 * type and the API's error body (shared/http/route-contract) lists them. Its own module, which
 * `errors.ts` imports with `import type` only: every handler loads `errors.ts`, and a schema built
 * there would be built in every bundle, even those that never validate anything.
 */
import * as z from './validation';

export const errorDetailSchema = z.strictObject({
  /** Where the problem is, e.g. `query.limit` or `body.headline`. */
  path: z.string(),
  message: z.string(),
});

export type ErrorDetail = z.output<typeof errorDetailSchema>;
