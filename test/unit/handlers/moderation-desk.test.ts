/**
 * What the editors' desk needs of the moderation routes beyond a decision: taking the last
 * approve, reject or hide back, and a queue that names each comment's story and parent and counts
 * both queues. The comment lives in a one-item table the mocked client reads and updates, so each
 * test asserts the item a route leaves behind, not the expression it happened to write.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { applyUpdate } from '../../support/apply-update';
import { apiEvent, editorClaims, lambdaContext } from '../../support/api-events';
import { storedCommentItem } from '../../support/comment-items';
import { handlerHarness, type HttpHandler } from '../../support/handler-harness';

const harness = handlerHarness();
const { dynamo } = harness;
const moderate = harness.handler<HttpHandler>('moderate-comment');
const listQueue = harness.handler<HttpHandler>('list-moderation-queue');
beforeEach(() => dynamo.reset());

const ARTICLE_ID = '0123456789abcdef';
const SUFFIX = '0190000000000123456789ab';
const COMMENT_ID = `${ARTICLE_ID}.${SUFFIX}`;
const HELD_AT = '2026-01-01T00:00:05.000Z';
const OTHER_EDITOR = { sub: 'editor-2', 'cognito:groups': '[editors]' };

/** The comment's item, as the mocked table holds it between calls. */
let item: Record<string, unknown>;

/** Reads return the item; an update applies to it when its version condition holds. */
function commentTable(initial: Record<string, unknown>) {
  item = initial;
  dynamo.on(GetCommand).callsFake(() => ({ Item: structuredClone(item) }));
  dynamo.on(UpdateCommand).callsFake((input) => {
    if (input.ExpressionAttributeValues[':expected'] !== item.version) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    }
    item = applyUpdate(item, input);
    return {};
  });
}

const patch = (body: unknown, claims: Record<string, string> = editorClaims) =>
  moderate(
    apiEvent({
      method: 'PATCH',
      path: `/comments/${COMMENT_ID}`,
      pathParameters: { commentId: COMMENT_ID },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      claims,
    }),
    lambdaContext(),
  );

/** A comment the rules held at HELD_AT: it sits in the pending queue by that time. */
const heldComment = () =>
  storedCommentItem(ARTICLE_ID, SUFFIX, {
    status: 'pending',
    heldFor: 'link',
    moderatedBy: 'rules',
    moderatedAt: HELD_AT,
    version: 3,
    gsi1pk: 'MODQ#pending',
    gsi1sk: `${HELD_AT}#${COMMENT_ID}`,
  });

describe('PATCH /comments/{commentId} with undo', () => {
  it('takes back an approve: the comment is pending again, in its old place in the queue, the undo recorded as the editor’s', async () => {
    commentTable(heldComment());

    const approved = await patch({ status: 'approved' });
    const decision = JSON.parse(approved.body);
    const undone = await patch({ undo: { status: 'approved', moderatedAt: decision.moderatedAt } }, OTHER_EDITOR);

    expect(approved.statusCode).toBe(200);
    expect(decision).toMatchObject({ status: 'approved', moderatedBy: 'editor-1', undoTo: 'pending' });
    expect(undone.statusCode).toBe(200);
    expect(JSON.parse(undone.body)).toMatchObject({
      status: 'pending',
      heldFor: 'link',
      moderatedBy: 'editor-2',
      undoTo: null,
    });
    expect(item).toMatchObject({
      status: 'pending',
      version: 5,
      queuedAt: HELD_AT,
      undo: null,
      gsi1pk: 'MODQ#pending',
      gsi1sk: `${HELD_AT}#${COMMENT_ID}`,
    });
    expect(item).not.toHaveProperty('gsi2pk');
  });

  it('takes back a hide of an approved comment: visible again, in the listings, with its flags as they were', async () => {
    commentTable(
      storedCommentItem(ARTICLE_ID, SUFFIX, {
        status: 'approved',
        flagCount: 2,
        flagsAtReview: 1,
        version: 4,
        gsi2pk: `CNEW#${ARTICLE_ID}`,
        gsi2sk: SUFFIX,
      }),
    );

    const hidden = JSON.parse((await patch({ status: 'hidden' })).body);
    const undone = await patch({ undo: { status: 'hidden', moderatedAt: hidden.moderatedAt } });

    expect(hidden).toMatchObject({ status: 'hidden', undoTo: 'approved' });
    expect(JSON.parse(undone.body)).toMatchObject({ status: 'approved', flags: { count: 2, sinceReview: 1 } });
    expect(item).toMatchObject({
      status: 'approved',
      flagsAtReview: 1,
      queuedAt: null,
      gsi1pk: `CTOP#${ARTICLE_ID}`,
      gsi2pk: `CNEW#${ARTICLE_ID}`,
      gsi2sk: SUFFIX,
    });
  });

  it('restores the flags an approve marked reviewed when it takes the approve back', async () => {
    commentTable(
      storedCommentItem(ARTICLE_ID, SUFFIX, {
        status: 'flagged',
        flagCount: 3,
        flagsAtReview: 0,
        moderatedBy: 'readers',
        moderatedAt: HELD_AT,
        version: 9,
      }),
    );

    const approved = JSON.parse((await patch({ status: 'approved' })).body);
    const undone = JSON.parse((await patch({ undo: { status: 'approved', moderatedAt: approved.moderatedAt } })).body);

    expect(approved.flags).toMatchObject({ count: 3, sinceReview: 0 });
    expect(undone).toMatchObject({ status: 'flagged', flags: { count: 3, sinceReview: 3 } });
    expect(item).toMatchObject({ gsi1pk: 'MODQ#flagged', gsi1sk: `${HELD_AT}#${COMMENT_ID}` });
  });

  it('answers 409 nothing_to_undo, writing nothing, when the decision named is no longer in force', async () => {
    commentTable(heldComment());
    const approved = JSON.parse((await patch({ status: 'approved' })).body);
    const rejected = JSON.parse((await patch({ status: 'rejected' }, OTHER_EDITOR)).body);
    const writes = dynamo.commandCalls(UpdateCommand).length;

    const stale = await patch({ undo: { status: 'approved', moderatedAt: approved.moderatedAt } });
    const wrongTime = await patch({ undo: { status: 'rejected', moderatedAt: '2020-01-01T00:00:00.000Z' } });
    const undone = await patch({ undo: { status: 'rejected', moderatedAt: rejected.moderatedAt } });
    const twice = await patch({ undo: { status: 'rejected', moderatedAt: rejected.moderatedAt } });

    expect([stale.statusCode, wrongTime.statusCode, undone.statusCode, twice.statusCode]).toEqual([409, 409, 200, 409]);
    expect(JSON.parse(twice.body).error.code).toBe('nothing_to_undo');
    // The undo of the reject returns to what the reject found: approved, by the first editor.
    expect(JSON.parse(undone.body)).toMatchObject({ status: 'approved' });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(writes + 1);
  });

  it('never takes back a delete, nor a decision the readers’ flags or the author overtook', async () => {
    commentTable(heldComment());
    const approved = JSON.parse((await patch({ status: 'approved' })).body);
    // Readers' flags hide it again: the approve is no longer the decision in force.
    item = { ...item, status: 'flagged', moderatedBy: 'readers', moderatedAt: '2026-01-02T00:00:00.000Z', undo: null };

    const overtaken = await patch({ undo: { status: 'approved', moderatedAt: approved.moderatedAt } });
    const deleted = await patch({ undo: { status: 'deleted', moderatedAt: approved.moderatedAt } });

    expect(overtaken.statusCode).toBe(409);
    expect(deleted.statusCode).toBe(400);
    expect(JSON.parse(deleted.body).error.details).toEqual([
      { path: 'body.undo.status', message: expect.stringContaining('"approved"|"rejected"|"hidden"') },
    ]);
  });

  it.each([
    ['neither a decision nor undo', {}, 'body.status'],
    ['both', { status: 'hidden', undo: { status: 'hidden', moderatedAt: HELD_AT } }, 'body.undo'],
    [
      'a time that is not an answer’s moderatedAt',
      { undo: { status: 'hidden', moderatedAt: 'yesterday' } },
      'body.undo.moderatedAt',
    ],
    ['an unknown field in undo', { undo: { status: 'hidden', moderatedAt: HELD_AT, by: 'me' } }, 'body.undo.by'],
  ])('answers 400 naming the field for %s, reading nothing', async (_name, body, path) => {
    const result = await patch(body);

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.details.map((detail: { path: string }) => detail.path)).toEqual([path]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('GET /moderation/comments for the desk', () => {
  const PARENT_SUFFIX = '0180000000000123456789ab';
  const PARENT_ID = `${ARTICLE_ID}.${PARENT_SUFFIX}`;

  it('gives each comment its story’s headline and link and the comment it answers, and counts both queues exactly', async () => {
    const reply = storedCommentItem(ARTICLE_ID, SUFFIX, {
      status: 'pending',
      parentId: PARENT_ID,
      threadId: PARENT_ID,
      moderatedAt: HELD_AT,
    });
    const parent = storedCommentItem(ARTICLE_ID, PARENT_SUFFIX, { body: 'The parent', status: 'hidden' });
    dynamo.on(QueryCommand, { ScanIndexForward: true }).resolves({ Items: [reply] });
    // The pending queue counts over two pages of the index (1 MB each), the flagged one in one.
    dynamo
      .on(QueryCommand, { Select: 'COUNT', ExpressionAttributeValues: { ':partition': 'MODQ#pending' } })
      .resolvesOnce({ Count: 1000, LastEvaluatedKey: { pk: 'x', sk: 'y' } })
      .resolves({ Count: 234 });
    dynamo
      .on(QueryCommand, { Select: 'COUNT', ExpressionAttributeValues: { ':partition': 'MODQ#flagged' } })
      .resolves({ Count: 7 });
    dynamo.on(BatchGetCommand).callsFake((input) => {
      const keys: Array<{ pk: string; sk: string }> = input.RequestItems['test-table'].Keys;
      const found = keys.flatMap((key): Record<string, unknown>[] =>
        key.sk === 'META'
          ? [{ pk: key.pk, sk: key.sk, id: ARTICLE_ID, headline: 'Tidal snails keep time', canonicalUrl: null }]
          : key.sk === `COMMENT#${PARENT_SUFFIX}`
            ? [parent]
            : [],
      );
      return { Responses: { 'test-table': found } };
    });

    const result = await listQueue(
      apiEvent({ path: '/moderation/comments', query: { status: 'pending' }, claims: editorClaims }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      items: [
        expect.objectContaining({
          id: COMMENT_ID,
          parentId: PARENT_ID,
          story: { headline: 'Tidal snails keep time', canonicalUrl: null },
          parent: expect.objectContaining({ id: PARENT_ID, body: 'The parent', status: 'hidden' }),
          undoTo: null,
        }),
      ],
      nextCursor: null,
      counts: { pending: 1234, flagged: 7 },
    });
    // The story's heading only: its body stays in the table.
    expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        'test-table': expect.objectContaining({
          Keys: [{ pk: `ARTICLE#${ARTICLE_ID}`, sk: 'META' }],
          ProjectionExpression: '#pk, #sk, #id, #headline, #url',
        }),
      },
    });
  });

  it('names no story and no parent when they are gone, and reads nothing more for an empty queue', async () => {
    dynamo.on(QueryCommand, { ScanIndexForward: true }).resolves({ Items: [] });
    dynamo.on(QueryCommand, { Select: 'COUNT' }).resolves({ Count: 0 });

    const result = await listQueue(
      apiEvent({ path: '/moderation/comments', query: { status: 'flagged' }, claims: editorClaims }),
      lambdaContext(),
    );

    expect(JSON.parse(result.body)).toEqual({ items: [], nextCursor: null, counts: { pending: 0, flagged: 0 } });
    expect(dynamo).not.toHaveReceivedCommand(BatchGetCommand);
  });
});

harness.itSendsOnlyDeclaredTableOperations();
