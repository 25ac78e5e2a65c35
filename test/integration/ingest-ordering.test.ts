/**
 * Ingest against DynamoDB Local and the S3 emulator when inputs of one story arrive out of
 * order: concurrently, in reverse, or as a late redelivery of an older drop. Whatever the order,
 * the index and `articles/<id>.json` must both end on the newest input (by the time it was
 * received), and the object must equal the indexed story plus its corrections.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoArticleCorrections } from '../../shared/adapters/articles/dynamo-article-corrections';
import { DynamoArticleIndex } from '../../shared/adapters/articles/dynamo-article-index';
import { S3ObjectStore } from '../../shared/adapters/aws/s3-object-store';
import { syncArticleObject } from '../../shared/articles/article-object';
import { ingestDocument, ingestDroppedObject, type IngestDependencies } from '../../shared/articles/ingest';
import { normalize } from '../../shared/articles/identity';
import { parseArticle } from '../../shared/articles/parse';
import { systemClock } from '../../shared/ports';
import { DynamoPollStore } from '../../shared/adapters/polls/dynamo-poll-store';
import { createTestBucket, createTestTable, testDynamoClient, testS3Client } from '../support/engines';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';

let bucket: string;
let index: DynamoArticleIndex;
let db: DynamoDBDocumentClient;
let tableName: string;
let deps: IngestDependencies;

beforeAll(async () => {
  [tableName, bucket] = await Promise.all([createTestTable('ingest-ordering'), createTestBucket('ingest-ordering')]);
  db = DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
  index = new DynamoArticleIndex(db, tableName);
  deps = {
    objects: new S3ObjectStore(testS3Client(), bucket),
    index,
    stories: new DynamoArticleCorrections(db, tableName),
    events: { publish: async () => undefined },
    clock: systemClock,
    polls: new DynamoPollStore(db, tableName),
    reactions: ['Fair', 'Unfair'],
  };
});

/**
 * Edition `n` of one original story: same headline, byline and time (so the same article id),
 * a different closing paragraph. `variant` keeps the tests' stories apart.
 */
function edition(variant: string, n: number): string {
  return SAMPLE_STORY_TEXT.replace('Harbor Town Votes', `${variant} Votes`).replace(
    'the pier will stay open during construction',
    `the pier will stay open during construction (update ${n})`,
  );
}

const articleOf = (text: string) => normalize(parseArticle({ body: text }));
const at = (second: number) => new Date(Date.UTC(2026, 2, 1, 9, 0, second));

async function storedObject(articleId: string): Promise<Record<string, unknown>> {
  const out = await testS3Client().send(new GetObjectCommand({ Bucket: bucket, Key: `articles/${articleId}.json` }));
  return JSON.parse(await out.Body!.transformToString()) as Record<string, unknown>;
}

const post = (text: string, receivedAt: Date, request: string) =>
  ingestDocument(deps, { sourceKey: `api/${request}`, body: Buffer.from(text), receivedAt });

describe('ingest when versions of a story arrive out of order', () => {
  it('ends on the newest version in both the index and S3 when versions are ingested concurrently', async () => {
    // Prepare: three editions, received one second apart
    const texts = [1, 2, 3].map((n) => edition('Bayside', n));
    const newest = articleOf(texts[2]!);

    // Act: all at once, the newest started first
    const results = await Promise.all([
      post(texts[2]!, at(3), 'concurrent-3'),
      post(texts[1]!, at(2), 'concurrent-2'),
      post(texts[0]!, at(1), 'concurrent-1'),
    ]);

    // Assess
    const stored = await index.find(newest.id);
    expect(stored?.article).toMatchObject({ contentHash: newest.contentHash, body: newest.body });
    expect(await storedObject(newest.id)).toMatchObject({ contentHash: newest.contentHash, body: newest.body });
    // The version counts the changes that were accepted: at most one per edition.
    expect(stored?.article.version).toBe(Math.max(...results.map((r) => (r.status === 'ingested' ? r.version : 0))));
    expect(stored?.article.version).toBeLessThanOrEqual(3);
  });

  it('keeps the newer version when an older one is ingested after it, and records the older as stale', async () => {
    // Prepare
    const older = edition('Cliffside', 1);
    const newer = edition('Cliffside', 2);
    const newest = articleOf(newer);

    // Act: in reverse order
    const first = await post(newer, at(20), 'reverse-newer');
    const second = await post(older, at(10), 'reverse-older');

    // Assess
    expect(first).toMatchObject({ status: 'ingested', outcome: 'created', version: 1 });
    expect(second).toMatchObject({ status: 'ingested', outcome: 'stale', version: 1 });
    const stored = await index.find(newest.id);
    expect(stored?.article).toMatchObject({ contentHash: newest.contentHash, version: 1 });
    expect(await storedObject(newest.id)).toMatchObject({ contentHash: newest.contentHash, body: newest.body });
  });

  it('does not let a late redelivery of an older drop overwrite a newer one, corrections included', async () => {
    // Prepare: the older edition dropped first (a.txt), the newer one a minute later (b.txt)
    const older = edition('Riverside', 1);
    const newer = edition('Riverside', 2);
    const newest = articleOf(newer);
    const drop = async (key: string, text: string, receivedAt: Date) => {
      const out = await testS3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }));
      return { key, size: Buffer.byteLength(text), eTag: out.ETag!.replace(/"/g, ''), receivedAt };
    };
    const olderDrop = await drop('incoming/riverside/a.txt', older, at(0));
    const newerDrop = await drop('incoming/riverside/b.txt', newer, at(59));
    // The newer drop's event is handled first, then a correction is published on the story.
    expect(await ingestDroppedObject(deps, newerDrop)).toMatchObject({ outcome: 'created', version: 1 });
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: `ARTICLE#${newest.id}`,
          sk: 'CORRECTIONS',
          corrections: [{ text: 'The vote was 5-2.', correctedAt: '2026-03-01T10:00:00.000Z', reportId: 'r-1' }],
        },
      }),
    );
    await syncArticleObject(deps, newest.id);

    // Act: the older drop's event arrives late, then again
    const late = await ingestDroppedObject(deps, olderDrop);
    const again = await ingestDroppedObject(deps, olderDrop);

    // Assess
    expect(late).toMatchObject({ status: 'ingested', outcome: 'stale', version: 1 });
    expect(again).toEqual({ status: 'already-processed' });
    expect((await index.find(newest.id))?.article).toMatchObject({ contentHash: newest.contentHash, version: 1 });
    expect(await storedObject(newest.id)).toMatchObject({
      contentHash: newest.contentHash,
      body: newest.body,
      corrections: [{ text: 'The vote was 5-2.', correctedAt: '2026-03-01T10:00:00.000Z' }],
    });
  });
});
