import { createReactionDependencies } from '../../shared/adapters/wiring/comment-reaction-dependencies';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { commentPathSchema, flagBodySchema } from '../../shared/comments/comment-schemas';
import { flagComment } from '../../shared/comments/reactions';
import { jsonBody } from '../../shared/http/body';
import { httpHandler } from '../../shared/http/http-handler';
import { sourceHashOf } from '../../shared/http/source';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';

const readerHasher = readerHasherFromEnvironment();
const deps = createReactionDependencies();

/** `POST /comments/{commentId}/flags`: 201 once per reader; 409 for a second flag from the same reader. */
export const handler = httpHandler(async (event) => {
  const { commentId } = parseInput(commentPathSchema, event.pathParameters ?? {}, 'path');
  const input = parseInput(flagBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const hasher = await readerHasher();
  const flag = await flagComment(deps, {
    commentId,
    reason: input.reason,
    reader: {
      voterHash: hasher.hash('voter', input.voterId),
      sourceHash: sourceHashOf(hasher, event),
    },
  });
  return json(201, flag);
});
