import { ENV, requireEnv } from '../../config';
import type { IngestDependencies } from '../../articles/ingest';
import { systemClock } from '../../ports';
import { createDocumentClient } from '../aws/dynamodb-client';
import { createS3Client } from '../aws/s3-client';
import { S3ObjectStore } from '../aws/s3-object-store';
import { DynamoArticleCorrections } from '../articles/dynamo-article-corrections';
import { DynamoArticleIndex } from '../articles/dynamo-article-index';
import { createEventPublisher } from '../aws/event-publisher';
import { DynamoPollStore } from '../polls/dynamo-poll-store';
import { reactionsFromEnv } from '../../polls/reactions';

/** The ingest pipeline on AWS services, as configured by the environment; call once per process. */
export function createIngestDependencies(env: NodeJS.ProcessEnv = process.env): IngestDependencies {
  const db = createDocumentClient();
  const tableName = requireEnv(ENV.tableName, env);
  return {
    objects: new S3ObjectStore(createS3Client(), requireEnv(ENV.bucketName, env)),
    index: new DynamoArticleIndex(db, tableName),
    stories: new DynamoArticleCorrections(db, tableName),
    events: createEventPublisher(env),
    clock: systemClock,
    polls: new DynamoPollStore(db, tableName),
    reactions: reactionsFromEnv(env),
  };
}
