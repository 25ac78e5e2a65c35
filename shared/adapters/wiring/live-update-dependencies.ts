import { fromEnv } from '@aws-sdk/credential-provider-env';
import { ENV, requireEnv } from '../../config';
import type { LiveUpdateDependencies } from '../../live/publish-live-update';
import { systemClock } from '../../ports';
import { DynamoArticleCorrections } from '../articles/dynamo-article-corrections';
import { createDocumentClient } from '../aws/dynamodb-client';
import { DynamoCommentStore } from '../comments/dynamo-comment-store';
import { AppSyncEventsPublisher } from '../live/appsync-events-publisher';
import { DynamoLiveSlots } from '../live/dynamo-live-slots';

/**
 * What the live-update publisher needs: the Event API's publish endpoint, signed with the
 * function's own credentials (Lambda, and the local stack, put them in the environment), the
 * coalescing slots, and consistent reads of the comments and corrections it announces. Call
 * once per process.
 */
export function createLiveUpdateDependencies(env: NodeJS.ProcessEnv = process.env): LiveUpdateDependencies {
  const db = createDocumentClient();
  const tableName = requireEnv(ENV.tableName, env);
  const corrections = new DynamoArticleCorrections(db, tableName);
  return {
    publisher: new AppSyncEventsPublisher({
      httpUrl: requireEnv(ENV.liveEventsHttpUrl, env),
      region: requireEnv(ENV.region, env),
      credentials: fromEnv(),
    }),
    slots: new DynamoLiveSlots(db, tableName),
    comments: new DynamoCommentStore(db, tableName),
    corrections: { list: (articleId) => corrections.list(articleId, { consistentRead: true }) },
    clock: systemClock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
