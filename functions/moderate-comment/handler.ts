import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { commentPathSchema } from '../../shared/comments/comment-schemas';
import { moderateBodySchema } from '../../shared/comments/moderation-schemas';
import { moderateComment, undoDecision } from '../../shared/comments/moderate-comment';
import { ENV, requireEnv } from '../../shared/config';
import { jsonBody } from '../../shared/http/body';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';

const deps = {
  comments: new DynamoCommentStore(createDocumentClient(), requireEnv(ENV.tableName)),
  clock: systemClock,
};

/**
 * `PATCH /comments/{commentId}` (editors): approve, reject, hide or delete a comment
 * (`{ status }`), or take back the last approve, reject or hide (`{ undo: { status, moderatedAt } }`).
 */
export const handler = httpHandler(async (event) => {
  const editor = requireEditor(event);
  const { commentId } = parseInput(commentPathSchema, event.pathParameters ?? {}, 'path');
  const input = parseInput(moderateBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const { comment } =
    'undo' in input
      ? await undoDecision(deps, {
          commentId,
          decision: input.undo.status,
          decidedAt: input.undo.moderatedAt,
          editor: editor.subject,
        })
      : await moderateComment(deps, { commentId, decision: input.status, editor: editor.subject });
  return json(200, comment);
});
