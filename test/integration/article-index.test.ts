import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedArticle, ParsedArticle } from '../../shared/articles/article';
import { normalize } from '../../shared/articles/identity';
import { revisionOf } from '../../shared/articles/revision';
import { DynamoArticleIndex } from '../../shared/adapters/articles/dynamo-article-index';
import { articleKeys } from '../../shared/store/article-keys';
import { createTestTable, testDynamoClient } from '../support/engines';

/** The article index against DynamoDB Local: the real conditional writes, queries and paging. */
let tableName: string;
let index: DynamoArticleIndex;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  tableName = await createTestTable('article-index');
  db = DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
  index = new DynamoArticleIndex(db, tableName);
});

function story(n: number, overrides: Partial<ParsedArticle> = {}): ParsedArticle {
  return {
    format: 'json-article',
    headline: `Story number ${n}`,
    subheadline: null,
    byline: { authors: ['Sam Reporter'], organization: 'Example News' },
    publishedAt: new Date(Date.UTC(2024, 0, 1, 0, n)).toISOString(),
    photo: null,
    body: [`Paragraph of story ${n}.`],
    sources: [],
    poll: null,
    comments: [],
    commentTotal: null,
    canonicalUrl: null,
    ...overrides,
  };
}

const receivedAt = (time: string, article: NormalizedArticle) => revisionOf(new Date(time), article.contentHash);

const itemCount = async () =>
  (await testDynamoClient().send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }))).Count ?? 0;

describe('DynamoArticleIndex on DynamoDB Local', () => {
  it('creates, then reports unchanged without writing, then updates in place with a new version', async () => {
    const first = normalize(story(1));
    const edited = normalize(story(1, { body: ['A corrected paragraph.'] }));

    const created = await index.save(
      first,
      receivedAt('2026-01-01T00:00:00Z', first),
      new Date('2026-01-01T00:00:00Z'),
    );
    const itemsAfterCreate = await itemCount();
    const repeated = await index.save(
      first,
      receivedAt('2026-01-01T00:00:00Z', first),
      new Date('2026-01-02T00:00:00Z'),
    );
    const updated = await index.save(
      edited,
      receivedAt('2026-01-03T00:00:00Z', edited),
      new Date('2026-01-03T00:00:00Z'),
    );

    expect(edited.id).toBe(first.id);
    expect(created).toEqual({ outcome: 'created', version: 1 });
    expect(repeated).toEqual({ outcome: 'unchanged', version: 1 });
    expect(updated).toEqual({ outcome: 'updated', version: 2 });
    expect(await itemCount()).toBe(itemsAfterCreate);
    const found = await index.find(first.id);
    expect(found?.article).toMatchObject({
      body: ['A corrected paragraph.'],
      version: 2,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-03T00:00:00.000Z',
    });
  });

  it('keeps the newest input: older ones are stale, and a newer one of the same content still counts', async () => {
    // Prepare: editions of one story, and the times each was received
    const [v1, v2, v3] = [1, 2, 3].map((n) => normalize(story(40, { body: [`Edition ${n} of story 40.`] })));
    const now = new Date('2026-01-05T00:00:00Z');

    // Act: v2 re-arrives at 4 s, then v3, received at 3 s, arrives last
    const outcomes = [
      await index.save(v1!, receivedAt('2026-01-05T00:00:01Z', v1!), now),
      await index.save(v2!, receivedAt('2026-01-05T00:00:02Z', v2!), now),
      await index.save(v1!, receivedAt('2026-01-05T00:00:01Z', v1!), now),
      await index.save(v2!, receivedAt('2026-01-05T00:00:04Z', v2!), now),
      await index.save(v3!, receivedAt('2026-01-05T00:00:03Z', v3!), now),
    ];

    // Assess
    expect(outcomes).toEqual([
      { outcome: 'created', version: 1 },
      { outcome: 'updated', version: 2 },
      { outcome: 'stale', version: 2 },
      { outcome: 'unchanged', version: 2 },
      { outcome: 'stale', version: 2 },
    ]);
    expect((await index.find(v1!.id))?.article).toMatchObject({
      body: v2!.body,
      version: 2,
      revision: receivedAt('2026-01-05T00:00:04Z', v2!),
    });
  });

  it('pages the feed newest first, each story once, with cursors that resume exactly', async () => {
    for (let n = 10; n < 17; n++) {
      const article = normalize(story(n));
      await index.save(article, revisionOf(new Date(), article.contentHash), new Date());
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await index.listNewest({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.publishedAt));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toHaveLength(9); // stories 1 and 40 from the tests before, and the seven here
    expect(new Set(seen).size).toBe(9);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('tells existing stories from unknown ones, and reads counts kept on the COUNTS item', async () => {
    const article = normalize(story(30));
    await index.save(article, revisionOf(new Date(), article.contentHash), new Date());

    // The COUNTS item as the comment and error-report stream consumers leave it (no votes yet).
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: articleKeys.partition(article.id), sk: articleKeys.counts, comments: 1, errorReports: 1 },
      }),
    );

    expect(await index.exists(article.id)).toBe(true);
    expect(await index.exists('0000000000000000')).toBe(false);
    expect((await index.find(article.id))?.counts).toEqual({ comments: 1, votes: 0, errorReports: 1 });
  });
});
