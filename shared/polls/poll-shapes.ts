/**
 * The response shapes of the poll routes, each defined once as a schema: the types the domain
 * returns are their outputs, and the API contract (shared/http/contracts) describes and checks
 * the responses with the very same schemas. The domain and the handlers import this module with
 * `import type` only: schemas built at a module's top level are not tree-shaken, so a runtime
 * import would carry all of them into a bundle that never uses one.
 */
import * as z from '../validation';

export const pollOptionSchema = z.strictObject({
  /** Stable id, derived from the label (`Too little, too late` → `too-little-too-late`). */
  id: z.string(),
  label: z.string(),
});
export type PollOption = z.output<typeof pollOptionSchema>;
