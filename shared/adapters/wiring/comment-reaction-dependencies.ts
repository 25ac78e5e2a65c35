import { commentConfigFromEnv } from '../../comments/comment-config';
import type { ReactionDependencies } from '../../comments/reactions';
import { ENV, requireEnv } from '../../config';
import { systemClock } from '../../ports';
import { DynamoCommentReactions } from '../comments/dynamo-comment-reactions';
import { DynamoCommentStore } from '../comments/dynamo-comment-store';
import { createDocumentClient } from '../aws/dynamodb-client';

/** What the comment vote and flag routes need, on the table; call once per process. */
export function createReactionDependencies(env: NodeJS.ProcessEnv = process.env): ReactionDependencies {
  const db = createDocumentClient();
  const tableName = requireEnv(ENV.tableName, env);
  return {
    comments: new DynamoCommentStore(db, tableName),
    reactions: new DynamoCommentReactions(db, tableName),
    config: commentConfigFromEnv(env),
    clock: systemClock,
  };
}
