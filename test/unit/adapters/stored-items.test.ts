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
import { DynamoErrorReports } from '../../../shared/adapters/error-reports/dynamo-error-reports';
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
