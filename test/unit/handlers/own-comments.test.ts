import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { storedCommentItem } from '../../support/comment-items';
import { apiEvent, lambdaContext } from '../../support/api-events';
import { handlerHarness, type HttpResult } from '../../support/handler-harness';
import { readerAuthorization } from '../../support/reader-tokens';

const harness = handlerHarness({ env: { READER_HASH_KEY: 'unit-test-reader-hash-key-0123456789abcdef' } });
const { dynamo } = harness;
const editText = harness.handler('edit-own-comment');
const deleteOwn = harness.handler('delete-own-comment');
beforeEach(() => dynamo.reset());

const ARTICLE_ID = '0123456789abcdef';
const SUFFIX = '0190000000000123456789ab';
const COMMENT_ID = `${ARTICLE_ID}.${SUFFIX}`;
const AUTHOR = 'unit-author-0001';
let asAuthor: { authorization: string };
let asSomeoneElse: { authorization: string };
beforeAll(async () => {
  asAuthor = await readerAuthorization(AUTHOR);
  asSomeoneElse = await readerAuthorization('unit-reader-0002');
});

/** The author's comment, posted `minutesAgo` minutes ago. */
const storedOwnComment = (minutesAgo: number) =>
  storedCommentItem(ARTICLE_ID, SUFFIX, {
    authorId: AUTHOR,
    body: 'Teh first version.',
    createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    version: 4,
  });

const putText = (body: unknown, headers: Record<string, string>) =>
  apiEvent({
    method: 'PUT',
    path: `/comments/${COMMENT_ID}/text`,
    pathParameters: { commentId: COMMENT_ID },
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const deleteEvent = (headers: Record<string, string>) =>
  apiEvent({
    method: 'DELETE',
    path: `/comments/${COMMENT_ID}`,
    pathParameters: { commentId: COMMENT_ID },
    headers,
  });
const errorCode = (result: HttpResult) => JSON.parse(result.body).error.code;

describe('PUT /comments/{commentId}/text', () => {
  it('stores the new text and keeps the replaced one in the same transaction, conditional on the version read', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOwnComment(2) });
    dynamo.on(TransactWriteCommand).resolves({});

    const result = await editText(putText({ body: ' The first version. ' }, asAuthor), lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      id: COMMENT_ID,
      body: 'The first version.',
      edited: true,
      readerId: AUTHOR,
    });
    const [update, kept] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(update!.Update).toMatchObject({
      ConditionExpression: 'attribute_exists(#pk) AND #version = :expected',
      ExpressionAttributeValues: expect.objectContaining({ ':expected': 4 }),
    });
    expect(kept!.Put!.Item).toMatchObject({
      pk: `ARTICLE#${ARTICLE_ID}`,
      sk: `CEDIT#${SUFFIX}#0000000004`,
      commentId: COMMENT_ID,
      body: 'Teh first version.',
    });
  });

  it("refuses someone else's comment with 403 not_author, and a late change with 409 edit_window_closed, writing nothing", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOwnComment(2) });
    const byOther = await editText(putText({ body: 'Mine now.' }, asSomeoneElse), lambdaContext());
    dynamo.on(GetCommand).resolves({ Item: storedOwnComment(16) });
    const late = await editText(putText({ body: 'Too late.' }, asAuthor), lambdaContext());

    expect([byOther.statusCode, errorCode(byOther)]).toEqual([403, 'not_author']);
    expect([late.statusCode, errorCode(late)]).toEqual([409, 'edit_window_closed']);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('needs a reader token, and names the body field it refuses', async () => {
    const anonymous = await editText(putText({ body: 'Who?' }, {}), lambdaContext());
    const empty = await editText(putText({ body: '   ' }, asAuthor), lambdaContext());

    expect(anonymous.statusCode).toBe(401);
    expect(empty.statusCode).toBe(400);
    expect(JSON.parse(empty.body).error.details).toEqual([expect.objectContaining({ path: 'body.body' })]);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('DELETE /comments/{commentId}', () => {
  it('marks the comment deleted by its author and answers 204 without a body', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOwnComment(1) });
    dynamo.on(UpdateCommand).resolves({});

    const result = await deleteOwn(deleteEvent(asAuthor), lambdaContext());

    expect(result.statusCode).toBe(204);
    expect(result.body).toBe('');
    expect(result.headers['content-type']).toBeUndefined();
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      ExpressionAttributeValues: expect.objectContaining({ ':expected': 4, ':f0': 'deleted' }),
    });
    const values = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues!;
    expect(Object.values(values)).toContain('author');
  });

  it("refuses someone else's comment with 403 not_author", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedOwnComment(1) });

    const result = await deleteOwn(deleteEvent(asSomeoneElse), lambdaContext());

    expect([result.statusCode, errorCode(result)]).toEqual([403, 'not_author']);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });
});
