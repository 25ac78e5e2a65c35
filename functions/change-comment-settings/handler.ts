import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { setCommentsOpen } from '../../shared/comments/comment-settings';
import { articlePathSchema, commentSettingsBodySchema } from '../../shared/comments/comment-schemas';
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

/** `PATCH /articles/{articleId}/comment-settings` (editors): `{ "commentsOpen": false }` closes comments, `true` reopens them. */
export const handler = httpHandler(async (event) => {
  const editor = requireEditor(event);
  const { articleId } = parseInput(articlePathSchema, event.pathParameters ?? {}, 'path');
  const input = parseInput(commentSettingsBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  return json(200, await setCommentsOpen(deps, { articleId, open: input.commentsOpen, editor: editor.subject }));
});
