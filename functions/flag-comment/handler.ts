import { createReactionDependencies } from '../../shared/adapters/wiring/comment-reaction-dependencies';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { commentPathSchema, flagBodySchema } from '../../shared/comments/comment-schemas';
import { flagComment } from '../../shared/comments/reactions';
import { jsonBody } from '../../shared/http/body';
import { httpHandler } from '../../shared/http/http-handler';
import { readerAuthenticatorFromEnvironment } from '../../shared/adapters/identity/reader-authenticator';
import { readerOf } from '../../shared/http/reader';
import { sourceHashOf } from '../../shared/http/source';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';

const readerHasher = readerHasherFromEnvironment();
const authenticator = readerAuthenticatorFromEnvironment(readerHasher);
const deps = createReactionDependencies();

/** `POST /comments/{commentId}/flags`: 201 once per reader; 409 for a second flag from the same reader. */
export const handler = httpHandler(async (event) => {
  const reader = await readerOf(authenticator, event, systemClock.now());
  const { commentId } = parseInput(commentPathSchema, event.pathParameters ?? {}, 'path');
  const input = parseInput(flagBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const hasher = await readerHasher();
  const flag = await flagComment(deps, {
    commentId,
    reason: input.reason,
    reader: {
      readerId: reader.readerId,
      voterHash: hasher.hash('voter', reader.readerId),
      sourceHash: sourceHashOf(hasher, event),
      tokenIssuedAt: reader.issuedAt,
    },
  });
  return json(201, flag);
});
