/**
 * Stored items are parsed where the adapters read them: a well-formed item reads as the domain
 * value it holds, a malformed one (a field missing, a wrong type) is a `StoredItemError` naming
 * the item's key and what is wrong, never its values.
 */
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoArticleCorrections } from '../../../shared/adapters/articles/dynamo-article-corrections';
import { DynamoArticleIndex } from '../../../shared/adapters/articles/dynamo-article-index';
import { StoredItemError } from '../../../shared/adapters/aws/stored-item';
import { fromCommentItem } from '../../../shared/adapters/comments/dynamo-comment-items';
import { DynamoErrorReports } from '../../../shared/adapters/error-reports/dynamo-error-reports';
import { DynamoMostVoted } from '../../../shared/adapters/polls/dynamo-most-voted';
import { summaryOf } from '../../../shared/articles/article-view';
import type { ErrorReport } from '../../../shared/error-reports/report-schema';
import { indexedArticle } from '../../support/article-items';

const TABLE = 'news';
const dynamo = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

const ARTICLE_ID = '0123456789abcdef';
const REPORT_ID = `${ARTICLE_ID}-fedcba9876543210`;
const PARTITION = `ARTICLE#${ARTICLE_ID}`;

const article = indexedArticle({
  id: ARTICLE_ID,
  slug: 'council-approves-budget',
  contentHash: 'a'.repeat(64),
  headline: 'Council approves budget',
  byline: { authors: ['Ann Writer'], organization: null },
  photo: { caption: 'The council', credit: null },
  body: ['The council approved the budget.'],
  version: 2,
  revision: '2014-03-14T17:35:00.000Z#1',
  createdAt: '2014-03-14T17:35:00.000Z',
  updatedAt: '2014-03-14T17:36:00.000Z',
});

/** The `META` item as the index writes it: the article, the table's keys and the correlation id. */
const metaItem = (fields: object) => ({
  pk: PARTITION,
  sk: 'META',
  feedPk: 'FEED',
  feedSk: `${article.publishedAt}#${ARTICLE_ID}`,
  correlationId: 'req-1',
  ...fields,
});

const report: ErrorReport = {
  reportId: REPORT_ID,
  articleId: ARTICLE_ID,
  category: 'typo',
  description: 'The headline misspells the mayor.',
  quote: null,
  status: 'received',
  hasContact: false,
  statusVersion: 1,
  createdAt: '2014-03-15T09:00:00.000Z',
  updatedAt: '2014-03-15T09:00:00.000Z',
  closedAt: null,
  correction: null,
  history: [{ status: 'received', at: '2014-03-15T09:00:00.000Z' }],
};

const reportItem = (fields: object) => ({
  pk: PARTITION,
  sk: `REPORT#${REPORT_ID}`,
  gsi1pk: 'REPORTS#received',
  correlationId: 'req-2',
  ...fields,
});

/** What a caller sees of the failure: its class, and a message that names the key and the fields. */
async function storedItemFailure(read: Promise<unknown>): Promise<StoredItemError> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoredItemError);
  return error as StoredItemError;
}

const batchGetReturns = (...items: object[]) =>
  dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: items }, UnprocessedKeys: {} });

beforeEach(() => dynamo.reset());

describe('DynamoArticleIndex.find', () => {
  const index = new DynamoArticleIndex(db, TABLE);

  it('reads a well-formed META item as the article, without the table keys or the correlation id', async () => {
    batchGetReturns(metaItem(article), { pk: PARTITION, sk: 'COUNTS', votes: 3 });

    const found = await index.find(ARTICLE_ID);

    expect(found).toEqual({ article, counts: { comments: 0, votes: 3, errorReports: 0 } });
  });

  it('fails with a StoredItemError naming the key and the fields when the headline is missing and a field has the wrong type', async () => {
    const { headline: _headline, ...withoutHeadline } = article;
    batchGetReturns(metaItem({ ...withoutHeadline, version: '2' }));

    const error = await storedItemFailure(index.find(ARTICLE_ID));

    expect(error.key).toEqual({ pk: PARTITION, sk: 'META' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['headline', 'version']);
    expect(error.message).toContain(`${PARTITION} / META`);
    // The values stay out: they may hold what a reader wrote.
    expect(error.message).not.toContain(article.slug);
  });
});

describe('DynamoArticleCorrections.loadStory', () => {
  const corrections = new DynamoArticleCorrections(db, TABLE);

  it('reads a well-formed META item as the article beside its corrections', async () => {
    const correction = { text: 'Fixed the name.', correctedAt: '2014-03-16T10:00:00.000Z', reportId: REPORT_ID };
    batchGetReturns(metaItem(article), { pk: PARTITION, sk: 'CORRECTIONS', corrections: [correction] });

    const story = await corrections.loadStory(ARTICLE_ID);

    expect(story?.article).toEqual(article);
  });

  it('fails with a StoredItemError when the META item has a field of the wrong type', async () => {
    batchGetReturns(metaItem({ ...article, body: 'one paragraph, not a list' }));

    const error = await storedItemFailure(corrections.loadStory(ARTICLE_ID));

    expect(error.issues).toEqual([{ path: 'body', message: expect.any(String) }]);
    expect(error.message).not.toContain('one paragraph');
  });

  it('fails with a StoredItemError naming the CORRECTIONS item when its list is not a list of corrections', async () => {
    batchGetReturns(metaItem(article), { pk: PARTITION, sk: 'CORRECTIONS', corrections: 'Fixed the name.' });

    const error = await storedItemFailure(corrections.loadStory(ARTICLE_ID));

    expect(error.key).toEqual({ pk: PARTITION, sk: 'CORRECTIONS' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['corrections']);
    expect(error.message).not.toContain('Fixed the name');
  });
});

describe('DynamoArticleCorrections.list', () => {
  const corrections = new DynamoArticleCorrections(db, TABLE);
  const correction = { text: 'Fixed the name.', correctedAt: '2014-03-16T10:00:00.000Z', reportId: REPORT_ID };

  it("reads the list as readers see it, without the report behind each correction, and none when there's no item", async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { corrections: [correction] } })
      .resolvesOnce({});

    expect(await corrections.list(ARTICLE_ID)).toEqual([
      { text: correction.text, correctedAt: correction.correctedAt },
    ]);
    expect(await corrections.list(ARTICLE_ID)).toEqual([]);
  });

  it('fails with a StoredItemError naming the item (its keys are not projected) when a correction lacks its time', async () => {
    const { correctedAt: _correctedAt, ...undated } = correction;
    // The read projects only the list, so the item comes back without its keys.
    dynamo.on(GetCommand).resolves({ Item: { corrections: [correction, undated] } });

    const error = await storedItemFailure(corrections.list(ARTICLE_ID));

    expect(error.key).toEqual({ pk: PARTITION, sk: 'CORRECTIONS' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['corrections.1.correctedAt']);
    expect(error.message).not.toContain('Fixed the name');
  });
});

describe('DynamoArticleIndex.listNewest', () => {
  const index = new DynamoArticleIndex(db, TABLE);
  /** A feed index entry: the summary fields the index projects, with the table's and the feed's keys. */
  const feedEntry = (fields: object) => ({
    pk: PARTITION,
    sk: 'META',
    feedPk: 'ARTICLES',
    feedSk: `${article.publishedAt}#${ARTICLE_ID}`,
    ...fields,
  });

  it('reads a feed entry as the story summary, without the keys', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [feedEntry(summaryOf(article))] });

    expect(await index.listNewest({ limit: 10 })).toEqual({ items: [summaryOf(article)], nextCursor: null });
  });

  it('fails with a StoredItemError naming the entry when a summary field is missing or of the wrong type', async () => {
    const { slug: _slug, ...withoutSlug } = summaryOf(article);
    dynamo.on(QueryCommand).resolves({ Items: [feedEntry({ ...withoutSlug, byline: 'Ann Writer' })] });

    const error = await storedItemFailure(index.listNewest({ limit: 10 }));

    expect(error.key).toEqual({ pk: PARTITION, sk: 'META' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['byline', 'slug']);
    expect(error.message).not.toContain('Ann Writer');
  });
});

describe('DynamoMostVoted.mostVoted', () => {
  const mostVoted = new DynamoMostVoted(db, TABLE);
  /** The ranking entry of the story on one all-time shard list; the other lists are empty. */
  const rankingQueries = () =>
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'POLLTOP#ALL#0' } })
      .resolves({ Items: [{ articleId: ARTICLE_ID, totalVotes: 7, gsi2sk: `000000000007#${ARTICLE_ID}` }] });

  it("reads each ranked story's summary from its META item, with its votes", async () => {
    rankingQueries();
    batchGetReturns({ pk: PARTITION, sk: 'META', ...summaryOf(article) });

    const page = await mostVoted.mostVoted({ limit: 10 });

    expect(page.items).toEqual([{ ...summaryOf(article), votes: 7 }]);
  });

  it("fails with a StoredItemError naming the story's META item when its summary fields are malformed", async () => {
    rankingQueries();
    batchGetReturns({ pk: PARTITION, sk: 'META', ...summaryOf(article), version: 'two' });

    const error = await storedItemFailure(mostVoted.mostVoted({ limit: 10 }));

    expect(error.key).toEqual({ pk: PARTITION, sk: 'META' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['version']);
  });
});

describe('DynamoErrorReports', () => {
  const reports = new DynamoErrorReports(db, TABLE);

  it('reads a well-formed report item as the report, without keys or bookkeeping', async () => {
    dynamo.on(GetCommand).resolves({ Item: reportItem(report) });

    expect(await reports.get(REPORT_ID)).toEqual(report);
  });

  it('fails with a StoredItemError when a report item misses its description', async () => {
    const { description: _description, ...withoutDescription } = report;
    dynamo.on(GetCommand).resolves({ Item: reportItem(withoutDescription) });

    const error = await storedItemFailure(reports.get(REPORT_ID));

    expect(error.key).toEqual({ pk: PARTITION, sk: `REPORT#${REPORT_ID}` });
    expect(error.issues.map((issue) => issue.path)).toEqual(['description']);
  });

  it('fails with a StoredItemError when a listed report has a status the workflow does not know', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [reportItem({ ...report, status: 'lost' })] });

    const error = await storedItemFailure(reports.list({ status: 'received', limit: 10 }));

    expect(error.issues.map((issue) => issue.path)).toEqual(['status']);
  });
});

describe('fromCommentItem', () => {
  const COMMENT_ID = `${ARTICLE_ID}.${'0'.repeat(12)}${'a'.repeat(12)}`;
  const keys = { pk: PARTITION, sk: `COMMENT#${COMMENT_ID}`, gsi1pk: 'x', gsi1sk: 'y' };
  const firstRelease = {
    ...keys,
    id: COMMENT_ID,
    articleId: ARTICLE_ID,
    author: 'Ann',
    body: 'A fair point.',
    createdAt: '2014-03-14T17:35:00.000Z',
    status: 'approved',
  };

  it('reads an item written before later attributes existed with what their absence meant', () => {
    expect(fromCommentItem(firstRelease)).toEqual({
      id: COMMENT_ID,
      articleId: ARTICLE_ID,
      threadId: COMMENT_ID,
      parentId: null,
      author: 'Ann',
      authorId: null,
      verified: false,
      body: 'A fair point.',
      createdAt: '2014-03-14T17:35:00.000Z',
      editedAt: null,
      status: 'approved',
      score: 0,
      replyCount: 0,
      flagCount: 0,
      flagsAtReview: 0,
      flagSourcesSinceReview: 0,
      flagReasons: { offensive: 0, abusive: 0, spam: 0, other: 0 },
      origin: 'reader',
      heldFor: null,
      moderatedBy: null,
      moderatedAt: null,
      queuedAt: null,
      undo: null,
      version: 1,
    });
  });

  it('counts the distinct sources of flags since review from the string set the stream keeps', () => {
    const flagged = { ...firstRelease, flagCount: 3, flagSources: new Set(['source-a', 'source-b']) };
    expect(fromCommentItem(flagged)).toMatchObject({ flagCount: 3, flagSourcesSinceReview: 2 });
    expect(fromCommentItem(flagged)).not.toHaveProperty('flagSources');
  });

  it('fails with a StoredItemError naming the comment and the fields when they are malformed', () => {
    const malformed = { ...firstRelease, status: 'vanished', score: '3', flagReasons: { spam: -1 } };
    expect(() => fromCommentItem(malformed)).toThrow(StoredItemError);
    try {
      fromCommentItem(malformed);
    } catch (error) {
      const { message, key } = error as StoredItemError;
      expect(key).toEqual({ pk: PARTITION, sk: `COMMENT#${COMMENT_ID}` });
      expect(message).toMatch(/status/);
      expect(message).toMatch(/score/);
      expect(message).toMatch(/flagReasons\.spam/);
      expect(message).not.toContain('A fair point.');
    }
  });
});
