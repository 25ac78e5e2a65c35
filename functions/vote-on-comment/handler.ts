import { createReactionDependencies } from '../../shared/adapters/wiring/comment-reaction-dependencies';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { commentPathSchema, voteBodySchema } from '../../shared/comments/comment-schemas';
import { castCommentVote } from '../../shared/comments/reactions';
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

/** `POST /comments/{commentId}/votes`: 201 for a reader's first vote, 200 when it replaces (or repeats) one. */
export const handler = httpHandler(async (event) => {
  const reader = await readerOf(authenticator, event, systemClock.now());
  const { commentId } = parseInput(commentPathSchema, event.pathParameters ?? {}, 'path');
  const input = parseInput(voteBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const hasher = await readerHasher();
  const vote = await castCommentVote(deps, {
    commentId,
    value: input.value,
    reader: {
      readerId: reader.readerId,
      voterHash: hasher.hash('voter', reader.readerId),
      sourceHash: sourceHashOf(hasher, event),
      tokenIssuedAt: reader.issuedAt,
    },
  });
  return json(vote.previousValue === null ? 201 : 200, vote);
});
