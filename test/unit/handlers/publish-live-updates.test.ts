import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { lambdaContext } from '../../support/api-events';
import { storedCommentItem } from '../../support/comment-items';
import { handlerHarness } from '../../support/handler-harness';
import { busEvent } from '../../support/bus-events';

const HTTP_URL = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/event';
const harness = handlerHarness({ env: { LIVE_EVENTS_HTTP_URL: HTTP_URL, AWS_SESSION_TOKEN: 'session-token' } });
const { dynamo } = harness;
type BusHandler = (event: EventBridgeEvent<string, unknown>, context: unknown) => Promise<void>;
const publishLiveUpdates = harness.handler<BusHandler>('publish-live-updates');

const ARTICLE_ID = 'aaaaaaaaaaaaaaaa';
const SUFFIX = '0000000000000000000000a1';
const COMMENT_ID = `${ARTICLE_ID}.${SUFFIX}`;

/** What the handler posted to the Events API: the URL, the headers and the parsed body. */
let posts: { url: string; headers: Record<string, string>; body: { channel: string; events: string[] } }[];
let answer: () => Response;

beforeEach(() => {
  dynamo.reset();
  posts = [];
  answer = () => new Response(JSON.stringify({ successful: [{ identifier: 'i', index: 0 }], failed: [] }));
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (url, init) => {
    posts.push({
      url: url instanceof Request ? url.url : url.toString(),
      headers: init!.headers as Record<string, string>,
      body: JSON.parse(init!.body as string),
    });
    return answer();
  });
  dynamo.on(UpdateCommand).resolves({});
});

afterEach(() => jest.restoreAllMocks());

const tallyUpdated = (version: number) =>
  busEvent('PollTallyUpdated', {
    schemaVersion: 1,
    articleId: ARTICLE_ID,
    version,
    question: 'Was the decision right?',
    options: [
      { id: 'yes', label: 'Yes', votes: 2 },
      { id: 'no', label: 'No', votes: 1 },
    ],
    totalVotes: 3,
    updatedAt: '2026-03-14T15:09:25.000Z',
  });

const published = () => posts.flatMap((post) => post.body.events.map((event) => JSON.parse(event)));

describe('publish-live-updates (bus rule)', () => {
  it('claims the story’s poll slot for this second and version, then posts the tally to its channel, signed', async () => {
    await publishLiveUpdates(tallyUpdated(7), lambdaContext());

    const [claim, ...more] = dynamo.commandCalls(UpdateCommand);
    expect(more).toHaveLength(0);
    expect(claim!.args[0].input).toMatchObject({
      TableName: 'test-table',
      Key: { pk: `LIVE#${ARTICLE_ID}`, sk: 'poll' },
      ConditionExpression: expect.stringContaining('attribute_not_exists(#pk)'),
      ExpressionAttributeValues: expect.objectContaining({ ':v': 7, ':c': 'event-1' }),
    });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe(HTTP_URL);
    expect(posts[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-amz-security-token': 'session-token',
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/appsync\/aws4_request, /,
      ),
    });
    expect(posts[0]!.body.channel).toBe(`/stories/${ARTICLE_ID}`);
    expect(published()).toEqual([
      {
        kind: 'poll',
        articleId: ARTICLE_ID,
        version: 7,
        question: 'Was the decision right?',
        options: [
          { id: 'yes', label: 'Yes', votes: 2, percent: 67 },
          { id: 'no', label: 'No', votes: 1, percent: 33 },
        ],
        totalVotes: 3,
        updatedAt: '2026-03-14T15:09:25.000Z',
      },
    ]);
  });

  it('posts nothing when a newer tally holds the slot', async () => {
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: marshall({ pk: `LIVE#${ARTICLE_ID}`, sk: 'poll', second: 1, version: 9, claimant: 'event-9' }),
      }),
    );

    await publishLiveUpdates(tallyUpdated(7), lambdaContext());

    expect(posts).toEqual([]);
  });

  it("reads the comment consistently and posts the listing's public view of it, never the author's reader id", async () => {
    dynamo
      .on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: `COMMENT#${SUFFIX}` } })
      .resolves({ Item: storedCommentItem(ARTICLE_ID, SUFFIX, { authorId: 'reader-secret-id', version: 4 }) });

    await publishLiveUpdates(
      busEvent('CommentPosted', {
        schemaVersion: 1,
        articleId: ARTICLE_ID,
        commentId: COMMENT_ID,
        threadId: COMMENT_ID,
        parentId: null,
        status: 'approved',
        origin: 'reader',
        createdAt: '2026-01-01T00:00:00.000Z',
      }),
      lambdaContext(),
    );

    expect(harness.getsBesideBans().map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: `COMMENT#${SUFFIX}` }, ConsistentRead: true }),
    ]);
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key)).toEqual([
      { pk: `LIVE#${ARTICLE_ID}`, sk: `VERSION#${COMMENT_ID}` },
    ]);
    expect(published()).toEqual([
      {
        kind: 'comment',
        articleId: ARTICLE_ID,
        version: 4,
        comment: {
          id: COMMENT_ID,
          articleId: ARTICLE_ID,
          threadId: COMMENT_ID,
          parentId: null,
          author: 'Ann',
          verified: false,
          body: 'Hello',
          createdAt: '2026-01-01T00:00:00.000Z',
          edited: false,
          status: 'approved',
          score: 0,
          replyCount: 0,
        },
      },
    ]);
    expect(JSON.stringify(posts)).not.toContain('reader-secret-id');
  });

  it("posts the story's corrections, read consistently, when a report is closed as corrected", async () => {
    dynamo.on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'CORRECTIONS' } }).resolves({
      Item: {
        corrections: [{ text: 'The vote was on Sunday.', correctedAt: '2026-03-14T15:08:00.000Z', reportId: 'r-1' }],
      },
    });

    await publishLiveUpdates(
      busEvent('ErrorReportResolved', {
        schemaVersion: 1,
        articleId: ARTICLE_ID,
        reportId: `${ARTICLE_ID}-0000000000000001`,
        category: 'factual',
        status: 'corrected',
        previousStatus: 'reviewing',
        statusVersion: 3,
        resolvedAt: '2026-03-14T15:08:00.000Z',
        correction: { text: 'The vote was on Sunday.', correctedAt: '2026-03-14T15:08:00.000Z' },
      }),
      lambdaContext(),
    );

    expect(harness.getsBesideBans().map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'CORRECTIONS' }, ConsistentRead: true }),
    ]);
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: `LIVE#${ARTICLE_ID}`, sk: 'corrections' },
      ExpressionAttributeValues: expect.objectContaining({ ':v': 1 }),
    });
    expect(published()).toEqual([
      {
        kind: 'corrections',
        articleId: ARTICLE_ID,
        corrections: [{ text: 'The vote was on Sunday.', correctedAt: '2026-03-14T15:08:00.000Z' }],
      },
    ]);
  });

  it('fails the invocation when the Events API refuses, so Lambda tries the event again', async () => {
    answer = () => new Response('{"errors":[{"errorType":"UnauthorizedException"}]}', { status: 401 });

    await expect(publishLiveUpdates(tallyUpdated(7), lambdaContext())).rejects.toThrow('HTTP 401');
  });

  it('ignores an event whose ids are not well formed, and touches nothing', async () => {
    await publishLiveUpdates(
      busEvent('CommentPosted', {
        articleId: ARTICLE_ID,
        commentId: '../LIVE#x',
        status: 'approved',
        origin: 'reader',
      }),
      lambdaContext(),
    );

    expect(dynamo.calls().filter((call) => !(call.args[0] instanceof GetCommand))).toEqual([]);
    expect(harness.getsBesideBans()).toEqual([]);
    expect(posts).toEqual([]);
  });
});

harness.itSendsOnlyDeclaredTableOperations();
