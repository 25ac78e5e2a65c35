import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { apiEvent, lambdaContext } from '../../support/api-events';
import { handlerHarness } from '../../support/handler-harness';

const harness = handlerHarness();
const { dynamo } = harness;
const listArticles = harness.handler('list-articles');
const getArticle = harness.handler('get-article');
const getPoll = harness.handler('get-poll-results');
beforeEach(() => dynamo.reset());

const ARTICLE_ID = '0123456789abcdef';
const summaryItem = {
  pk: `ARTICLE#${ARTICLE_ID}`,
  sk: 'META',
  feedPk: 'ARTICLES',
  feedSk: `2014-03-14T17:34:00.000Z#${ARTICLE_ID}`,
  id: ARTICLE_ID,
  slug: 'a-story',
  headline: 'A story',
  subheadline: null,
  byline: { authors: ['Ann Author'], organization: 'Example News' },
  publishedAt: '2014-03-14T17:34:00.000Z',
  version: 2,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('GET /articles', () => {
  it('returns the newest page and an opaque cursor that resumes after its last item', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({
      Items: [summaryItem],
      LastEvaluatedKey: { pk: summaryItem.pk, sk: 'META', feedPk: 'ARTICLES', feedSk: summaryItem.feedSk },
    });

    // Act
    const first = await listArticles(apiEvent({ path: '/articles', query: { limit: '1' } }), lambdaContext());
    const page = JSON.parse(first.body);
    const second = await listArticles(
      apiEvent({ path: '/articles', query: { limit: '1', cursor: page.nextCursor } }),
      lambdaContext(),
    );

    // Assess
    expect(first.statusCode).toBe(200);
    expect(page.items).toEqual([
      {
        id: ARTICLE_ID,
        slug: 'a-story',
        headline: 'A story',
        subheadline: null,
        byline: summaryItem.byline,
        publishedAt: summaryItem.publishedAt,
        version: 2,
        updatedAt: summaryItem.updatedAt,
      },
    ]);
    expect(typeof page.nextCursor).toBe('string');
    expect(second.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedNthCommandWith(1, QueryCommand, {
      Limit: 1,
      ScanIndexForward: false,
      IndexName: 'feed',
    });
    expect(dynamo).toHaveReceivedNthCommandWith(2, QueryCommand, {
      ExclusiveStartKey: { pk: summaryItem.pk, sk: 'META', feedPk: 'ARTICLES', feedSk: summaryItem.feedSk },
    });
  });

  it('defaults to 20 items and says there is no next page at the end', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const response = await listArticles(apiEvent({ path: '/articles' }), lambdaContext());

    expect(JSON.parse(response.body)).toEqual({ items: [], nextCursor: null });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { Limit: 20 });
  });

  it.each([['0'], ['101'], ['abc'], ['-1'], ['1.5'], ['']])(
    'rejects limit=%p with a 400 naming query.limit',
    async (limit) => {
      const response = await listArticles(apiEvent({ path: '/articles', query: { limit } }), lambdaContext());

      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(response.body).error).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'query.limit' }],
      });
      expect(dynamo).not.toHaveReceivedAnyCommand();
    },
  );

  it.each([
    ['not base64 at all!'],
    [Buffer.from('{"pk":"ARTICLE#0123456789abcdef"}').toString('base64url')],
    [Buffer.from('[1,2,3]').toString('base64url')],
    [Buffer.from(JSON.stringify({ pk: 'USER#x', sk: 'META', feedPk: 'ARTICLES', feedSk: 'x' })).toString('base64url')],
  ])('rejects a tampered cursor %p with a 400 and never queries', async (cursor) => {
    const response = await listArticles(apiEvent({ path: '/articles', query: { cursor } }), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('rejects unknown query parameters, naming them', async () => {
    const response = await listArticles(apiEvent({ path: '/articles', query: { order: 'oldest' } }), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.details).toEqual([{ path: 'query.order', message: 'Unknown field' }]);
  });
});

describe('GET /articles/{articleId}', () => {
  const metaItem = {
    ...summaryItem,
    body: ['First paragraph.'],
    photo: null,
    sources: ['CNN'],
    poll: { question: 'A story is...', options: [] },
    comments: [],
    commentTotal: null,
    canonicalUrl: null,
    format: 'text-page',
    contentHash: 'f'.repeat(64),
    schemaVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it('returns the article with zero counts when nothing has been counted yet', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [metaItem] } });

    const response = await getArticle(
      apiEvent({ path: `/articles/${ARTICLE_ID}`, pathParameters: { articleId: ARTICLE_ID } }),
      lambdaContext(),
    );

    expect(response.statusCode).toBe(200);
    const article = JSON.parse(response.body);
    expect(article).toMatchObject({
      id: ARTICLE_ID,
      headline: 'A story',
      body: ['First paragraph.'],
      sources: ['CNN'],
    });
    expect(article.counts).toEqual({ comments: 0, votes: 0, errorReports: 0 });
    expect(article).not.toHaveProperty('pk');
    expect(article).not.toHaveProperty('feedSk');
  });

  it('includes counts kept on the COUNTS item', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        'test-table': [metaItem, { pk: metaItem.pk, sk: 'COUNTS', comments: 3, votes: 7, errorReports: 1 }],
      },
    });

    const response = await getArticle(apiEvent({ pathParameters: { articleId: ARTICLE_ID } }), lambdaContext());

    expect(JSON.parse(response.body).counts).toEqual({ comments: 3, votes: 7, errorReports: 1 });
  });

  it('asks again for keys DynamoDB left unprocessed instead of answering 404', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { 'test-table': [] },
        UnprocessedKeys: { 'test-table': { Keys: [{ pk: metaItem.pk, sk: 'META' }] } },
      })
      .resolves({ Responses: { 'test-table': [metaItem] } });

    const response = await getArticle(apiEvent({ pathParameters: { articleId: ARTICLE_ID } }), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });

  it('answers 404 with a JSON error for an unknown article', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });

    const response = await getArticle(apiEvent({ pathParameters: { articleId: ARTICLE_ID } }), lambdaContext());

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'not_found', message: `No article ${ARTICLE_ID}` } });
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
  });

  /** The story and its poll as both public routes see them: the story item, and the poll item if stored. */
  function storyWithPoll(pollItem: Record<string, unknown> | null) {
    const pollKey = { pk: metaItem.pk, sk: 'POLL' };
    dynamo
      .on(BatchGetCommand)
      .callsFake(async (input: { RequestItems: Record<string, { Keys: Array<{ sk: string }> }> }) => {
        const wanted = new Set(input.RequestItems['test-table']!.Keys.map((key) => key.sk));
        const items = [metaItem, ...(pollItem ? [{ ...pollKey, ...pollItem }] : [])];
        return { Responses: { 'test-table': items.filter((item) => wanted.has(item.sk)) } };
      });
    dynamo.on(GetCommand, { Key: pollKey }).resolves(pollItem ? { Item: { ...pollKey, ...pollItem } } : {});
    dynamo.on(GetCommand, { Key: { pk: metaItem.pk, sk: 'META' } }).resolves({ Item: metaItem });
  }

  const bothRoutes = async () => {
    const event = apiEvent({ pathParameters: { articleId: ARTICLE_ID } });
    const [article, poll] = [await getArticle(event, lambdaContext()), await getPoll(event, lambdaContext())];
    return { article: JSON.parse(article.body), poll: JSON.parse(poll.body) };
  };

  it('shows the options of the stored poll, the ones the poll route counts votes for', async () => {
    storyWithPoll({
      articleId: ARTICLE_ID,
      question: 'A story is...',
      options: [
        { id: 'fair', label: 'Fair' },
        { id: 'unfair', label: 'Unfair' },
      ],
      headline: 'A story',
      definedAt: '2026-01-01T00:00:00.000Z',
    });

    const { article, poll } = await bothRoutes();

    expect(article.poll).toEqual({
      question: 'A story is...',
      options: [
        { id: 'fair', label: 'Fair' },
        { id: 'unfair', label: 'Unfair' },
      ],
    });
    expect(poll.options.map(({ id, label }: { id: string; label: string }) => ({ id, label }))).toEqual(
      article.poll.options,
    );
  });

  it('shows the default reactions for a story indexed before its poll was defined, as the poll route does, writing nothing', async () => {
    storyWithPoll(null);

    const { article, poll } = await bothRoutes();

    expect(article.poll.question).toBe('A story is...');
    expect(article.poll.options.map((o: { id: string }) => o.id)).toEqual([
      'important',
      'interesting',
      'encouraging',
      'sad',
      'scary',
      'infuriating',
      'silly',
    ]);
    expect(poll.question).toBe(article.poll.question);
    expect(poll.options.map(({ id, label }: { id: string; label: string }) => ({ id, label }))).toEqual(
      article.poll.options,
    );
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it.each([['../etc/passwd'], ['0123456789ABCDEF'], ['%00'], ['0123456789abcdef0']])(
    'answers 400 for the malformed id %p without reading',
    async (articleId) => {
      const response = await getArticle(apiEvent({ pathParameters: { articleId } }), lambdaContext());

      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).error.details[0].path).toBe('path.articleId');
      expect(dynamo).not.toHaveReceivedAnyCommand();
    },
  );

  it('hides AWS internals behind a 500 with the request id', async () => {
    dynamo.on(BatchGetCommand).rejects(new Error('User: arn:aws:sts::123456789012:assumed-role/x is not authorized'));

    const response = await getArticle(apiEvent({ pathParameters: { articleId: ARTICLE_ID } }), lambdaContext('req-42'));

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/arn:aws|authorized|at .*\.ts/);
    expect(JSON.parse(response.body).error).toEqual({
      code: 'internal_error',
      message: expect.any(String),
      requestId: 'req-42',
    });
  });
});

harness.itSendsOnlyDeclaredTableOperations();
