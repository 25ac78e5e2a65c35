import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { logger } from '../../../shared/observability/logger';
import { BAN_LIST_KEY } from '../../../shared/store/reader-ban-keys';
import { apiEvent, lambdaContext, setHandlerEnv } from '../../support/api-events';
import { storedCommentItem } from '../../support/comment-items';
import { readerAuthorization } from '../../support/reader-tokens';

/**
 * The reader routes at DEBUG, on their success, refusal and fault paths: no log line (EMF
 * metric lines included) may carry the reader token, the reader id it names, the raw source
 * address or the contact.
 */
setHandlerEnv();
process.env.READER_HASH_KEY = 'unit-test-reader-hash-key-0123456789abcdef';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
const dynamo = mockClient(DynamoDBDocumentClient);

const ARTICLE_ID = '0123456789abcdef';
const COMMENT_ID = `${ARTICLE_ID}.0190000000000123456789ab`;
const READER_ID = 'secret-reader-id-4711';
const SOURCE_IP = '203.0.113.77';
const CONTACT = 'private.reader@example.org';
const CORRELATION_ID = 'corr-reader-logs-0001';

type Reply = { statusCode: number; body: string; headers: Record<string, string> };
type Handler = (event: unknown, context: unknown) => Promise<Reply>;
const handlers: Record<string, Handler> = {};

/** `Authorization` for READER_ID: valid, and expired (tokens from readerAuthorization live a day). */
let valid: { authorization: string };
let expired: { authorization: string };
/** What must never reach a log line: the tokens (whole, or their signature), the reader id, the address, the contact. */
const secrets = () => [
  READER_ID,
  ...[valid, expired].flatMap(({ authorization }) => [
    authorization.slice('Bearer '.length),
    authorization.split('.')[2]!,
  ]),
  SOURCE_IP,
  CONTACT,
];

beforeAll(async () => {
  valid = await readerAuthorization(READER_ID);
  expired = await readerAuthorization(READER_ID, new Date(Date.now() - 2 * 86_400_000));
  for (const name of ['post-comment', 'vote-on-comment', 'flag-comment', 'cast-poll-vote', 'submit-error-report']) {
    handlers[name] = (await import(`../../../functions/${name}/handler`)).handler as Handler;
  }
  logger.setLogLevel('DEBUG');
});

const storedComment = storedCommentItem(ARTICLE_ID, '0190000000000123456789ab');

/** A table that answers every read the reader routes make with a live story, comment and poll. */
function healthyTable() {
  dynamo.reset();
  dynamo.on(BatchGetCommand).resolves({
    Responses: {
      'test-table': [
        { sk: 'META' },
        { sk: 'COUNTS', comments: 0 },
        {
          pk: `ARTICLE#${ARTICLE_ID}`,
          sk: 'POLL',
          articleId: ARTICLE_ID,
          question: 'How is it?',
          options: [{ id: 'sad', label: 'Sad' }],
          headline: 'A story',
          definedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    },
  });
  dynamo.on(GetCommand).resolves({ Item: storedComment });
  dynamo
    .on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'META' } })
    .resolves({ Item: { pk: `ARTICLE#${ARTICLE_ID}` } });
  // No reader is banned.
  dynamo.on(GetCommand, { Key: BAN_LIST_KEY }).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
}

const request = (path: string, pathParameters: Record<string, string>, body: unknown) => (credentials: object) => {
  const event = apiEvent({
    method: 'POST',
    path,
    pathParameters,
    headers: { 'content-type': 'application/json', 'x-correlation-id': CORRELATION_ID, ...credentials },
    body: JSON.stringify(body),
  });
  event.requestContext.http.sourceIp = SOURCE_IP;
  return event;
};

const calls: Array<[string, ReturnType<typeof request>]> = [
  [
    'post-comment',
    request(`/articles/${ARTICLE_ID}/comments`, { articleId: ARTICLE_ID }, { author: 'Ann', body: 'Fine story' }),
  ],
  ['vote-on-comment', request(`/comments/${COMMENT_ID}/votes`, { commentId: COMMENT_ID }, { value: 1 })],
  ['flag-comment', request(`/comments/${COMMENT_ID}/flags`, { commentId: COMMENT_ID }, { reason: 'spam' })],
  ['cast-poll-vote', request(`/articles/${ARTICLE_ID}/poll/votes`, { articleId: ARTICLE_ID }, { option: 'sad' })],
  [
    'submit-error-report',
    request(
      `/articles/${ARTICLE_ID}/error-reports`,
      { articleId: ARTICLE_ID },
      { category: 'factual', description: 'The date in the second paragraph is wrong.', contact: CONTACT },
    ),
  ],
];

/** Everything written to stdout and stderr while `run` runs. */
async function captureOutput(run: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join('');
}

const runAll = async (statuses: number[], credentials: object = valid) => {
  for (const [name, event] of calls) {
    statuses.push((await handlers[name]!(event(credentials), lambdaContext())).statusCode);
  }
};

describe('reader routes keep reader secrets out of the logs', () => {
  it('on success: the writes happen, metrics are written, and no line holds a secret', async () => {
    healthyTable();
    const statuses: number[] = [];

    const output = await captureOutput(() => runAll(statuses));

    expect(statuses.every((status) => status >= 200 && status < 300)).toBe(true);
    // The capture saw the EMF lines, so it would have seen a leak too.
    expect(output).toContain('"VotesCast"');
    expect(output).toContain('"ErrorReportsSubmitted"');
    for (const secret of secrets()) expect(output).not.toContain(secret);
  });

  it('on refusals and internal faults: errors are logged with the correlation id, and no secret', async () => {
    dynamo.reset();
    // Every table call fails: the routes answer 500 and log the fault in full.
    dynamo.onAnyCommand().rejects(new Error('Internal fault'));
    const statuses: number[] = [];
    const faulted = await captureOutput(() => runAll(statuses));

    healthyTable();
    // Every conditional write is refused: duplicates, already voted, already flagged.
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'condition', $metadata: {} }));
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'condition', $metadata: {} }));
    const refused = await captureOutput(() => runAll(statuses));
    // Expired and tampered tokens: 401 before anything else.
    const [header, payload, signature] = valid.authorization.split('.') as [string, string, string];
    const tamperedToken = {
      authorization: `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`,
    };
    const unauthorized = await captureOutput(async () => {
      await runAll(statuses, expired);
      await runAll(statuses, tamperedToken);
    });

    expect(statuses.slice(0, calls.length).every((status) => status === 500)).toBe(true);
    expect(statuses.slice(2 * calls.length)).toEqual(Array(2 * calls.length).fill(401));
    const lines = (faulted + refused).split('\n').filter((line) => line.startsWith('{'));
    const errors = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 'ERROR');
    expect(errors.length).toBeGreaterThanOrEqual(calls.length);
    expect(errors.every((entry) => entry.correlation_id === CORRELATION_ID)).toBe(true);
    for (const secret of [...secrets(), tamperedToken.authorization.slice('Bearer '.length)]) {
      expect(faulted + refused + unauthorized).not.toContain(secret);
    }
  });
});
