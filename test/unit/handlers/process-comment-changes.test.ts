import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { lambdaContext } from '../../support/api-events';
import { applyUpdate } from '../../support/apply-update';
import { storedCommentItem } from '../../support/comment-items';
import { handlerHarness, type StreamBatchResult } from '../../support/handler-harness';
import { queueEvent } from '../../support/queue-events';

const harness = handlerHarness();
const { dynamo, eventBridge } = harness;
const handler =
  harness.handler<(event: DynamoDBStreamEvent | SQSEvent, context: unknown) => Promise<StreamBatchResult>>(
    'process-comment-changes',
  );
beforeEach(() => {
  dynamo.reset();
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
});

const ARTICLE_ID = '0123456789abcdef';
const suffix = (n: number) => `01900000000000000000000${n}`;
const idOf = (n: number) => `${ARTICLE_ID}.${suffix(n)}`;

const comment = (n: number, overrides: Record<string, unknown> = {}) =>
  storedCommentItem(ARTICLE_ID, suffix(n), { countedVisible: false, ...overrides });

function record(sequence: string, item: Record<string, unknown>, old?: Record<string, unknown>): DynamoDBRecord {
  return {
    eventID: `event-${sequence}`,
    eventName: old ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
      ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) as never } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const published = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries!.map((e) => ({ type: e.DetailType, detail: JSON.parse(e.Detail!) })));

describe('process-comment-changes (table stream)', () => {
  it('counts a new visible comment in the story total with its claim, in one transaction, and publishes CommentPosted', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const result = await handler({ Records: [record('1', comment(1))] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((item) => Object.keys(item))).toEqual([['Update'], ['Update']]);
    const [claim, counts] = items.map((item) => item.Update!);
    expect(claim!.Key).toEqual({ pk: `ARTICLE#${ARTICLE_ID}`, sk: `COMMENT#${suffix(1)}` });
    expect(applyUpdate({ ...comment(1), countedVisible: false }, claim!)).toMatchObject({ countedVisible: true });
    expect(counts!.Key).toEqual({ pk: `ARTICLE#${ARTICLE_ID}`, sk: 'COUNTS' });
    expect(applyUpdate({ comments: 4 }, counts!)).toEqual({ comments: 5 });
    expect(published()).toEqual([
      {
        type: 'CommentPosted',
        detail: expect.objectContaining({ articleId: ARTICLE_ID, commentId: idOf(1), status: 'approved' }),
      },
    ]);
  });

  it("publishes CommentPosted under the correlation id the comment item carries, else the batch's", async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await handler(
      { Records: [record('1', comment(1)), record('2', comment(2, { correlationId: 'req-trace-0002' }))] },
      lambdaContext(),
    );

    const resources = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => call.args[0].input.Entries![0]!.Resources);
    expect(resources).toEqual([['newsroom:correlation-id/event-1'], ['newsroom:correlation-id/req-trace-0002']]);
  });

  it('settles a batch once per comment at its latest state, with one count write per story', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const hidden = comment(2, {
      status: 'hidden',
      version: 2,
      moderatedBy: 'editor',
      moderatedAt: '2026-01-02T00:00:00.000Z',
    });

    await handler(
      {
        Records: [
          record('1', comment(1)),
          record('2', comment(2)),
          record('3', hidden, comment(2)), // posted and hidden within one batch: never counted
          record('4', comment(3, { countedVisible: true }), comment(3)), // the claim's own write: nothing to do
          record('5', comment(4, { parentId: idOf(1), threadId: idOf(1) })),
        ],
      },
      lambdaContext(),
    );

    const calls = dynamo.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const updates = calls[0]!.args[0].input.TransactItems!.map((item) => item.Update!);
    expect(updates.map((u) => u.Key)).toEqual([
      { pk: `ARTICLE#${ARTICLE_ID}`, sk: `COMMENT#${suffix(1)}` },
      { pk: `ARTICLE#${ARTICLE_ID}`, sk: `COMMENT#${suffix(4)}` },
      { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'COUNTS' },
    ]);
    // The thread root is settled in the same transaction, so it takes its reply count in its own update.
    expect(applyUpdate({ ...comment(1), countedVisible: false, replyCount: 0 }, updates[0]!)).toMatchObject({
      countedVisible: true,
      replyCount: 1,
    });
    expect(applyUpdate({ comments: 0 }, updates[2]!)).toEqual({ comments: 2 });
    expect(published().map((e) => e.type)).toEqual([
      'CommentPosted',
      'CommentPosted',
      'CommentModerated',
      'CommentPosted',
    ]);
  });

  it('takes a claim that fails its condition as settled before, and settles the rest', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
        }),
      )
      .resolves({});

    const result = await handler({ Records: [record('1', comment(1)), record('2', comment(2))] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    const retry = dynamo
      .commandCalls(TransactWriteCommand)[1]!
      .args[0].input.TransactItems!.map((item) => item.Update!);
    expect(retry.map((u) => u.Key!.sk)).toEqual([`COMMENT#${suffix(2)}`, 'COUNTS']);
    expect(retry[1]!.ExpressionAttributeValues).toEqual({ ':delta': 1 });
  });

  it('removes a hidden comment from the total and publishes CommentModerated with who did it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const before = comment(1, { countedVisible: true });
    const flagged = {
      ...before,
      status: 'flagged',
      moderatedBy: 'readers',
      moderatedAt: '2026-01-02T00:00:00.000Z',
      version: 5,
    };

    await handler({ Records: [record('7', flagged, before)] }, lambdaContext());

    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Update).toMatchObject({ ConditionExpression: 'attribute_exists(#pk) AND #counted = :yes' });
    expect(items[1]!.Update!.ExpressionAttributeValues).toEqual({ ':delta': -1 });
    expect(published()).toEqual([
      {
        type: 'CommentModerated',
        detail: expect.objectContaining({
          commentId: idOf(1),
          status: 'flagged',
          previousStatus: 'approved',
          by: 'readers',
          version: 5,
        }),
      },
    ]);
  });

  it('stops at the first record whose event failed and reports it and every record after it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'c' }] });

    const result = await handler(
      { Records: [record('1', comment(1)), record('2', comment(2)), record('3', comment(3))] },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('fails the invocation when the settlement fails, so Lambda retries and bisects the batch', async () => {
    dynamo.on(TransactWriteCommand).rejects(new Error('throttled'));

    const result = handler({ Records: [record('1', comment(1)), record('2', comment(2))] }, lambdaContext());

    await expect(result).rejects.toThrow('throttled');
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it("through its FIFO queue: fails only an orphan reply's messages (its thread does not exist), and settles the others", async () => {
    // The story's batch settles in one transaction, which the orphan's thread update cancels
    // every time; the queue adapter then settles each comment on its own.
    const orphanThread = `COMMENT#${suffix(9)}`;
    dynamo
      .on(TransactWriteCommand)
      .callsFake(async (input: { TransactItems: Array<{ Update?: { Key?: { sk?: string } } }> }) => {
        const items = input.TransactItems;
        if (!items.some((item) => item.Update?.Key?.sk === orphanThread)) return {};
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: items.map((item) => ({
            Code: item.Update?.Key?.sk === orphanThread ? 'ConditionalCheckFailed' : 'None',
          })),
        });
      });
    const orphan = comment(2, { parentId: idOf(9), threadId: idOf(9) });
    const records = [record('1', comment(1)), record('2', orphan), record('3', comment(3))];
    const event = queueEvent(records);

    const result = await handler(event, lambdaContext());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect(published().map((e) => [e.type, e.detail.commentId])).toEqual([
      ['CommentPosted', idOf(1)],
      ['CommentPosted', idOf(3)],
    ]);
  });

  it('counts a flag once, hides the comment at the threshold and publishes CommentFlagged without the reader', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(GetCommand).resolves({
      Item: comment(1, {
        flagCount: 3,
        flagSources: new Set(['source-a', 'source-b']),
        version: 4,
        countedVisible: true,
      }),
    });
    dynamo.on(UpdateCommand).resolves({});
    const flag = {
      pk: `CFLAG#${idOf(1)}#hashed-voter`,
      sk: 'FLAG',
      commentId: idOf(1),
      articleId: ARTICLE_ID,
      reason: 'abusive',
      flaggedAt: '2026-01-01T00:00:00.000Z',
      source: 'source-b',
    };

    await handler({ Records: [record('9', flag)] }, lambdaContext());

    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((i) => i.Update!.Key)).toEqual([
      { pk: flag.pk, sk: 'FLAG' },
      { pk: `ARTICLE#${ARTICLE_ID}`, sk: `COMMENT#${suffix(1)}` },
    ]);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_exists(#pk) AND #version = :expected',
      ExpressionAttributeValues: expect.objectContaining({ ':expected': 4, ':f0': 'flagged', ':k0': 'MODQ#flagged' }),
    });
    expect(published()).toEqual([
      {
        type: 'CommentFlagged',
        detail: { schemaVersion: 1, articleId: ARTICLE_ID, commentId: idOf(1), reason: 'abusive' },
      },
    ]);
    expect(items[1]!.Update!.ExpressionAttributeValues![':source']).toEqual(new Set(['source-b']));
    expect(JSON.stringify(published())).not.toContain('hashed-voter');
    expect(JSON.stringify(published())).not.toContain('source-b');
  });

  it('leaves a comment visible at the threshold while its flags come from a single source', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(GetCommand).resolves({
      Item: comment(1, { flagCount: 5, flagSources: new Set(['one-office']), version: 6, countedVisible: true }),
    });
    const flag = {
      pk: `CFLAG#${idOf(1)}#hashed-voter`,
      sk: 'FLAG',
      commentId: idOf(1),
      articleId: ARTICLE_ID,
      reason: 'spam',
      flaggedAt: '2026-01-01T00:00:00.000Z',
      source: 'one-office',
    };

    await handler({ Records: [record('9', flag)] }, lambdaContext());

    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('imports the comments embedded in a new or changed story, each only if absent', async () => {
    dynamo.on(PutCommand).resolves({});
    const meta = {
      pk: `ARTICLE#${ARTICLE_ID}`,
      sk: 'META',
      id: ARTICLE_ID,
      contentHash: 'h2',
      comments: [
        { postedAt: '2014-03-16T19:11:00.000Z', body: 'First', author: null },
        { postedAt: '2014-03-16T14:09:00.000Z', body: 'Second', author: null },
      ],
    };

    await handler(
      { Records: [record('1', meta), record('2', { ...meta, updatedAt: 'later' }, meta)] },
      lambdaContext(),
    );

    const puts = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts).toHaveLength(2); // the second record changed no content
    expect(puts.map((p) => [p.Item!.body, p.Item!.createdAt, p.Item!.origin, p.ConditionExpression])).toEqual([
      ['First', '2014-03-16T19:11:00.000Z', 'import', 'attribute_not_exists(#pk)'],
      ['Second', '2014-03-16T14:09:00.000Z', 'import', 'attribute_not_exists(#pk)'],
    ]);
  });

  describe('a malformed item fails the invocation with a StoredItemError naming it, so bisection isolates it', () => {
    const storedItemFailure = (item: Record<string, unknown>, paths: string[]) =>
      expect(handler({ Records: [record('1', item)] }, lambdaContext())).rejects.toMatchObject({
        name: 'StoredItemError',
        key: { pk: item.pk, sk: item.sk },
        issues: paths.map((path) => expect.objectContaining({ path })),
      });

    it("a story's META image whose embedded comment has no body, importing nothing", async () => {
      const meta = {
        pk: `ARTICLE#${ARTICLE_ID}`,
        sk: 'META',
        id: ARTICLE_ID,
        contentHash: 'h1',
        comments: [{ postedAt: '2014-03-16T19:11:00.000Z', author: 'Reader' }],
      };

      await storedItemFailure(meta, ['comments.0.body']);
      expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    });

    it('a flag record with a reason readers cannot give, counting nothing', async () => {
      const flag = { pk: `CFLAG#${idOf(1)}#hashed-voter`, sk: 'FLAG', commentId: idOf(1), reason: 'boring' };

      await storedItemFailure(flag, ['reason']);
      expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it('a vote record without the comment it is for, scoring nothing', async () => {
      const vote = { pk: `CVOTE#${idOf(1)}#hashed-voter`, sk: 'VOTE', value: 1 };

      await storedItemFailure(vote, ['commentId']);
      expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    });
  });
});

harness.itSendsOnlyDeclaredTableOperations();
