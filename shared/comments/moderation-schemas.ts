/**
 * The body of `PATCH /comments/{commentId}`, apart from the other comment schemas: schemas built at
 * a module's top level are not tree-shaken, and the reader routes, whose bundles are the tightest,
 * import `comment-schemas` but never parse an editor's decision.
 */
import * as z from '../validation';
import { EDITOR_DECISIONS, UNDOABLE_DECISIONS, type EditorDecision } from './comment';

/**
 * `PATCH /comments/{commentId}`: a decision (`status`), or taking back the last one (`undo`, naming
 * it by its status and its `moderatedAt` as the decision's answer gave them). Exactly one of the
 * two; the handler gets whichever it was.
 */
export const moderateBodySchema = z.pipe(
  z.strictObject({
    status: z.optional(z.enum(EDITOR_DECISIONS)),
    undo: z.optional(
      z.strictObject({
        status: z.enum(UNDOABLE_DECISIONS),
        moderatedAt: z.iso.datetime({ precision: 3, error: 'Must be the moderatedAt of the decision to take back' }),
      }),
    ),
  }),
  z.transform((body, context): { status: EditorDecision } | { undo: NonNullable<typeof body.undo> } => {
    const { status, undo } = body;
    if (undo !== undefined && status === undefined) return { undo };
    if (status !== undefined && undo === undefined) return { status };
    context.issues.push({
      code: 'custom',
      input: body,
      path: [status === undefined ? 'status' : 'undo'],
      message: status === undefined ? 'Give a decision, or undo' : 'Give a decision or undo, not both',
    });
    return z.NEVER;
  }),
);
