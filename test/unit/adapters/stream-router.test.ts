import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { StreamRoute } from '../../../shared/adapters/aws/stream-router';
import { setHandlerEnv } from '../../support/api-events';

// The module is loaded after the environment is set, as Lambda loads it (the logger reads its level then).
setHandlerEnv();
let routerModule: typeof import('../../../shared/adapters/aws/stream-router');
beforeAll(async () => {
  routerModule = await import('../../../shared/adapters/aws/stream-router');
});
const sqsMock = mockClient(SQSClient);
/** What SQS answers when it takes every message of a request. */
const acceptAll = (input: SendMessageBatchCommandInput) => ({
  Successful: input.Entries!.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: '' })),
  Failed: [],
});
beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageBatchCommand).callsFake(acceptAll);
});

const ARTICLES = 'https://sqs.us-east-1.amazonaws.com/123456789012/articles.fifo';
const COMMENTS = 'https://sqs.us-east-1.amazonaws.com/123456789012/comments.fifo';
const TALLIES = 'https://sqs.us-east-1.amazonaws.com/123456789012/tallies';

const routes: StreamRoute[] = [
  {
    feature: 'publish-article-changes',
    queueUrl: ARTICLES,
    filters: [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } }],
  },
  {
    feature: 'process-comment-changes',
    queueUrl: COMMENTS,
    filters: [
      { dynamodb: { Keys: { sk: { S: [{ prefix: 'COMMENT#' }] } } } },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } },
    ],
  },
  {
    feature: 'publish-poll-tallies',
    queueUrl: TALLIES,
    filters: [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: 'POLL#TALLY#' }] } } } }],
  },
];

let sequence = 0;
beforeEach(() => {
  sequence = 0;
});

function record(pk: string, sk: string, extra: Record<string, unknown> = {}): DynamoDBRecord {
  const n = String(++sequence).padStart(4, '0');
  return {
    eventID: `event-${n}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: n,
      Keys: { pk: { S: pk }, sk: { S: sk } },
      NewImage: { pk: { S: pk }, sk: { S: sk }, ...extra },
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const story = (id: string) => record(`ARTICLE#${id}`, 'META');
const comment = (id: string, n: number) => record(`ARTICLE#${id}`, `COMMENT#${n}`);
const tally = (id: string, shard: number) => record(`ARTICLE#${id}`, `POLL#TALLY#${shard}`);

/** Every SendMessageBatch call, in order: its queue and its entries. */
const calls = () =>
  sqsMock.commandCalls(SendMessageBatchCommand).map((call) => ({
    queue: call.args[0].input.QueueUrl,
    entries: call.args[0].input.Entries!,
  }));
const sentTo = (queue: string) =>
  calls()
    .filter((call) => call.queue === queue)
    .flatMap((call) => call.entries.map((entry) => (JSON.parse(entry.MessageBody!) as DynamoDBRecord).eventID));

const router = () => new routerModule.StreamRouter(new SQSClient({ region: 'us-east-1' }), routes);

describe('StreamRouter', () => {
  it('sends each record to every feature whose filters match: FIFO by item key with a (feature, eventID) deduplication id, standard as is', async () => {
    const meta = story('a');
    const records = [meta, comment('a', 1), tally('a', 2), record('RATE#vote#x', '2026-01-01')];

    const response = await router().route(records);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sentTo(ARTICLES)).toEqual(['event-0001']);
    expect(sentTo(COMMENTS)).toEqual(['event-0001', 'event-0002']);
    expect(sentTo(TALLIES)).toEqual(['event-0003']);
    const [article] = calls().find((call) => call.queue === ARTICLES)!.entries;
    expect(article).toEqual({
      Id: '0',
      MessageBody: JSON.stringify(meta),
      MessageGroupId: 'ARTICLE#a|META',
      MessageDeduplicationId: createHash('sha256').update('publish-article-changes\nevent-0001').digest('hex'),
    });
    const [tallyEntry] = calls().find((call) => call.queue === TALLIES)!.entries;
    expect(Object.keys(tallyEntry!).sort()).toEqual(['Id', 'MessageBody']);
    // One record, two features: one deduplication id per feature.
    const commentDedup = calls().find((call) => call.queue === COMMENTS)!.entries[0]!.MessageDeduplicationId;
    expect(commentDedup).not.toBe(article!.MessageDeduplicationId);
  });

  it('sends at most ten messages a request and never two of one item in the same request, in stream order', async () => {
    const records = [
      ...Array.from({ length: 12 }, (_, i) => comment('a', i)),
      comment('b', 1),
      comment('a', 3), // the same item as the fourth record: a second wave
      comment('b', 1),
    ];

    await router().route(records);

    const requests = calls().map((call) => call.entries.map((entry) => entry.MessageGroupId));
    expect(requests.every((groups) => groups.length <= 10 && new Set(groups).size === groups.length)).toBe(true);
    expect(requests.flat()).toHaveLength(15);
    // The repeated items leave after their first message was accepted.
    expect(sentTo(COMMENTS).slice(-2)).toEqual(['event-0014', 'event-0015']);
  });

  it("reports the records a queue refused and the later records of their items, while other features' records go through", async () => {
    sqsMock.on(SendMessageBatchCommand, { QueueUrl: COMMENTS }).rejects(new Error('comments queue unavailable'));
    const records = [tally('a', 0), comment('a', 1), story('b'), comment('a', 2), comment('a', 1), tally('a', 1)];

    const response = await router().route(records);

    // Story b went to the article queue, but not to the comment queue: it is reported too.
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['0002', '0003', '0004', '0005']);
    expect(sentTo(TALLIES)).toEqual(['event-0001', 'event-0006']);
    expect(sentTo(ARTICLES)).toEqual(['event-0003']);
    // The second wave of comment 1 was never attempted once its first message failed.
    expect(sentTo(COMMENTS)).toEqual(['event-0002', 'event-0003', 'event-0004']);
  });

  it('holds back the later messages of an item whose message a queue refused alone, and nothing else', async () => {
    sqsMock
      .on(SendMessageBatchCommand, { QueueUrl: COMMENTS })
      .callsFakeOnce(() => ({
        Successful: [{ Id: '1', MessageId: 'm', MD5OfMessageBody: '' }],
        Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
      }))
      .callsFake(acceptAll);
    const records = [tally('z', 0), comment('a', 1), comment('b', 1), comment('a', 1), comment('b', 1)];

    const response = await router().route(records);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['0002', '0004']);
    expect(calls().filter((call) => call.queue === COMMENTS)).toHaveLength(2);
    expect(sentTo(COMMENTS)).toEqual(['event-0002', 'event-0003', 'event-0005']);
  });

  it('fails the invocation when its first record cannot be forwarded, so Lambda can bisect the batch', async () => {
    sqsMock.on(SendMessageBatchCommand, { QueueUrl: ARTICLES }).rejects(new Error('throttled'));

    await expect(router().route([story('a'), tally('a', 0)])).rejects.toThrow(/Could not forward 1 of 2/);
    expect(sentTo(TALLIES)).toEqual(['event-0002']);
  });

  it('never sends a record over the message limit, and reports it', async () => {
    const first = comment('a', 1);
    const huge = comment('a', 2);
    huge.dynamodb!.NewImage!.body = { S: 'x'.repeat(routerModule.MAX_MESSAGE_BYTES) };
    const records = [first, huge, comment('b', 1)];

    const response = await router().route(records);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['0002']);
    expect(sentTo(COMMENTS)).toEqual(['event-0001', 'event-0003']);
  });

  it('splits requests at 1 MiB', async () => {
    const big = (n: number) => {
      const r = comment('a', n);
      r.dynamodb!.NewImage!.body = { S: 'x'.repeat(400 * 1024) };
      return r;
    };

    await router().route([big(1), big(2), big(3)]);

    expect(calls().map((call) => call.entries.length)).toEqual([2, 1]);
  });

  it('escapes the two characters SQS refuses that JSON leaves as they are; the body parses back to the record', async () => {
    const odd = comment('a', 1);
    odd.dynamodb!.NewImage!.body = { S: 'odd \uffff and \ufffe' };

    await router().route([odd]);

    const body = calls()[0]!.entries[0]!.MessageBody!;
    expect(body).not.toMatch(/[\ufffe\uffff]/);
    expect(JSON.parse(body)).toEqual(odd);
  });

  it('sends nothing for records no feature wants', async () => {
    await expect(router().route([record('VOTE#a#x', 'VOTE')])).resolves.toEqual({ batchItemFailures: [] });
    expect(calls()).toEqual([]);
  });

  it('uses a hash as the message group when the item key is no valid group id', async () => {
    await router().route([comment('a'.repeat(130), 1)]);

    expect(calls()[0]!.entries[0]!.MessageGroupId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('streamRoutesFromEnv', () => {
  it('reads the routes and refuses malformed ones at cold start', () => {
    expect(routerModule.streamRoutesFromEnv({ STREAM_ROUTES: JSON.stringify(routes) })).toEqual(routes);
    expect(() => routerModule.streamRoutesFromEnv({})).toThrow(/STREAM_ROUTES/);
    expect(() => routerModule.streamRoutesFromEnv({ STREAM_ROUTES: '[]' })).toThrow(/non-empty/);
    expect(() =>
      routerModule.streamRoutesFromEnv({ STREAM_ROUTES: JSON.stringify([{ feature: 'x', queueUrl: 'u' }]) }),
    ).toThrow(/filters/);
    expect(() =>
      routerModule.streamRoutesFromEnv({
        STREAM_ROUTES: JSON.stringify([{ feature: 'x', queueUrl: 'u', filters: [{ a: [{ startsWith: 'b' }] }] }]),
      }),
    ).toThrow(/unsupported operator/);
  });
});
