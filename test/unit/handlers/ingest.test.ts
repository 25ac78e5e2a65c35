import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { apiEvent, editorClaims, lambdaContext, readerClaims } from '../../support/api-events';
import { SAMPLE_STORY_TEXT } from '../../support/sample-story';
import { articleDocument } from '../../../shared/articles/article-object';
import { normalize, sha256Hex } from '../../../shared/articles/identity';
import { parseArticle } from '../../../shared/articles/parse';
import { ingestedFeedSchema } from '../../../shared/http/contracts/articles';

import { rememberPuts } from '../../support/remembering-bucket';
import { handlerHarness } from '../../support/handler-harness';

const harness = handlerHarness();
const { s3, dynamo, eventBridge } = harness;
const createArticle = harness.handler('create-article');
const ingestObject = harness.handler<(event: S3Event, context: unknown) => Promise<void>>('ingest-object');

beforeEach(() => {
  s3.reset();
  dynamo.reset();
  eventBridge.reset();
  rememberPuts(s3);
  s3.on(DeleteObjectCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

/** The part of an SDK stream body the store reads. */
const objectBody = (text: string) =>
  ({
    transformToByteArray: async () => new Uint8Array(Buffer.from(text)),
    transformToString: async () => text,
  }) as never;

function s3Event(key: string, object: { size?: number; eTag?: string } = {}): S3Event {
  return {
    Records: [
      {
        eventTime: '2026-02-01T10:00:00.000Z',
        s3: { bucket: { name: 'test-bucket' }, object: { key, size: 1, ...object } },
      } as unknown as S3Event['Records'][number],
    ],
  };
}

/** The sample story as the index holds it after ingest: what `articles/<id>.json` is rendered from. */
const SAMPLE_ARTICLE = normalize(parseArticle({ body: SAMPLE_STORY_TEXT }));
const SAMPLE_META_ITEM = {
  pk: `ARTICLE#${SAMPLE_ARTICLE.id}`,
  sk: 'META',
  ...SAMPLE_ARTICLE,
  version: 1,
  createdAt: '2026-02-01T10:00:01.000Z',
  updatedAt: '2026-02-01T10:00:01.000Z',
};
const indexHoldsSampleStory = () =>
  dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [SAMPLE_META_ITEM] } });

describe('ingest-object (S3 drop zone)', () => {
  it('stores the normalized article, indexes it, writes a receipt and empties the drop zone', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Key: 'incoming/pier story.txt' }).resolves({
      Body: objectBody(SAMPLE_STORY_TEXT),
      ContentType: 'text/plain',
    });
    dynamo.on(UpdateCommand).resolves({ Attributes: { version: 1 } });
    indexHoldsSampleStory();

    // Act: the key arrives URL-encoded, as S3 sends it
    await ingestObject(s3Event('incoming/pier+story.txt'), lambdaContext());

    // Assess
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(puts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^raw\/[0-9a-f]{16}\/[0-9a-f]{32}\.txt$/),
        expect.stringMatching(/^articles\/[0-9a-f]{16}\.json$/),
        'receipts/pier story.txt.json',
      ]),
    );
    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.Key).toEqual({ pk: expect.stringMatching(/^ARTICLE#[0-9a-f]{16}$/), sk: 'META' });
    // Ordered by when S3 stored the drop (the event time), not by when ingest ran.
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':revision': `2026-02-01T10:00:00.000Z#${SAMPLE_ARTICLE.contentHash}`,
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: 'incoming/pier story.txt' });
    // ArticleIngested is published from the table stream, not here.
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('moves unparseable input under rejected/ with a reason, emits ArticleRejected and indexes nothing', async () => {
    s3.on(GetObjectCommand).resolves({ Body: objectBody('just some words, not a story'), ContentType: 'text/plain' });

    await ingestObject(s3Event('incoming/garbage.txt'), lambdaContext());

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'rejected/garbage.txt' });
    const reason = s3.commandCalls(PutObjectCommand, { Key: 'rejected/garbage.txt.reason.json' })[0]!.args[0].input;
    expect(JSON.parse(reason.Body as string)).toMatchObject({
      code: expect.any(String),
      sourceKey: 'incoming/garbage.txt',
    });
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry).toMatchObject({ DetailType: 'ArticleRejected', EventBusName: 'test-bus', Source: 'newsroom' });
    expect(JSON.parse(entry.Detail!)).toMatchObject({
      rejectedKey: 'rejected/garbage.txt',
      sourceKey: 'incoming/garbage.txt',
    });
    expect(dynamo).not.toHaveReceivedAnyCommand();
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: 'incoming/garbage.txt' });
  });

  it('treats a vanished object as already processed by an earlier attempt', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    );

    await expect(ingestObject(s3Event('incoming/gone.txt'), lambdaContext())).resolves.toBeUndefined();

    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('fails the invocation when the index write fails, so Lambda retries and the input stays in incoming/', async () => {
    s3.on(GetObjectCommand).resolves({ Body: objectBody(SAMPLE_STORY_TEXT) });
    dynamo.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    await expect(ingestObject(s3Event('incoming/story.txt'), lambdaContext())).rejects.toThrow();

    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it('rewrites neither the raw input nor the article object when S3 already holds the same content', async () => {
    // Prepare: both objects exist, the article object showing the story as indexed
    const document = JSON.stringify(articleDocument(SAMPLE_META_ITEM, []), null, 2);
    s3.on(GetObjectCommand).resolves({ Body: objectBody(SAMPLE_STORY_TEXT) });
    s3.on(HeadObjectCommand).resolves({ Metadata: { 'document-hash': sha256Hex(document) } });
    dynamo.on(UpdateCommand).resolves({ Attributes: { version: 1 } });
    indexHoldsSampleStory();

    // Act
    await ingestObject(s3Event('incoming/a.txt'), lambdaContext());

    // Assess: only the receipt is written
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys).toEqual(['receipts/a.txt.json']);
  });
});

describe('ingest-object: feeds', () => {
  it('ingests each item of a dropped Atom feed as a story of its own and empties the drop zone', async () => {
    // Prepare
    const feed =
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>Courier</title>' +
      ['one', 'two']
        .map(
          (n) =>
            `<entry><title>Story ${n}</title><id>tag:courier,2026:${n}</id><published>2026-03-06T18:20:00-07:00</published>` +
            `<author><name>Theo Marchetti</name></author><content type="html">&lt;p&gt;Text ${n}.&lt;/p&gt;</content></entry>`,
        )
        .join('') +
      '</feed>';
    s3.on(GetObjectCommand, { Key: 'incoming/courier.atom' }).resolves({
      Body: objectBody(feed),
      ContentType: 'application/atom+xml',
    });
    dynamo.on(UpdateCommand).resolves({ Attributes: { version: 1 } });
    indexHoldsSampleStory();

    // Act
    await ingestObject(s3Event('incoming/courier.atom'), lambdaContext());

    // Assess: two index writes, one receipt per item and the feed's, the drop removed
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 2);
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^raw\/[0-9a-f]{16}\/[0-9a-f]{32}\.xml$/),
        'receipts/courier.atom/items/1.json',
        'receipts/courier.atom/items/2.json',
        'receipts/courier.atom.json',
      ]),
    );
    const receipt = s3.commandCalls(PutObjectCommand, { Key: 'receipts/courier.atom.json' })[0]!.args[0].input;
    expect(JSON.parse(receipt.Body as string)).toMatchObject({
      status: 'feed',
      format: 'atom',
      items: [
        { item: 1, status: 'ingested', sourceKey: 'incoming/courier.atom/items/1' },
        { item: 2, status: 'ingested', sourceKey: 'incoming/courier.atom/items/2' },
      ],
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: 'incoming/courier.atom' });
  });
});

describe('ingest-object: drops over the size limit', () => {
  const LIMIT = 2 * 1024 * 1024;

  it('refuses a drop the event says is over the limit without downloading it, and records the rejection', async () => {
    // Prepare: a 3 GB drop; S3 confirms the key still holds the object the event is about
    const size = 3 * 1024 ** 3;
    s3.on(HeadObjectCommand, { Key: 'incoming/huge.txt' }).resolves({ ContentLength: size, ETag: '"e-huge"' });
    s3.on(CopyObjectCommand).resolves({});

    // Act
    await ingestObject(s3Event('incoming/huge.txt', { size, eTag: 'e-huge' }), lambdaContext());

    // Assess: never read, kept by a copy inside the bucket, rejected as today
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: 'rejected/huge.txt',
      CopySource: 'test-bucket/incoming/huge.txt',
    });
    const reason = s3.commandCalls(PutObjectCommand, { Key: 'rejected/huge.txt.reason.json' })[0]!.args[0].input;
    expect(JSON.parse(reason.Body as string)).toMatchObject({
      code: 'too-large',
      details: { bytes: size, limit: LIMIT },
      sourceKey: 'incoming/huge.txt',
    });
    const receipt = s3.commandCalls(PutObjectCommand, { Key: 'receipts/huge.txt.json' })[0]!.args[0].input;
    expect(JSON.parse(receipt.Body as string)).toMatchObject({ status: 'rejected', reason: { code: 'too-large' } });
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry.DetailType).toBe('ArticleRejected');
    expect(dynamo).not.toHaveReceivedAnyCommand();
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: 'incoming/huge.txt' });
  });

  it('reads at most the limit of a drop whose event understates its size, and rejects it', async () => {
    // Prepare: the event says 10 bytes, the object is 5 GB; only a range of it is answered
    const size = 5 * 1024 ** 3;
    s3.on(GetObjectCommand).resolves({
      Body: objectBody('x'.repeat(16)),
      ContentRange: `bytes 0-${LIMIT - 1}/${size}`,
      ETag: '"e-big"',
    });
    s3.on(CopyObjectCommand).resolves({});

    // Act
    await ingestObject(s3Event('incoming/big.txt', { size: 10, eTag: 'e-big' }), lambdaContext());

    // Assess
    const [get] = s3.commandCalls(GetObjectCommand);
    expect(get!.args[0].input.Range).toBe(`bytes=0-${LIMIT - 1}`);
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, { Key: 'rejected/big.txt' });
    const reason = s3.commandCalls(PutObjectCommand, { Key: 'rejected/big.txt.reason.json' })[0]!.args[0].input;
    expect(JSON.parse(reason.Body as string)).toMatchObject({ code: 'too-large', details: { bytes: size } });
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('leaves a key alone when a later drop replaced the object its event is about', async () => {
    s3.on(GetObjectCommand).resolves({ Body: objectBody(SAMPLE_STORY_TEXT), ETag: '"e-later"' });

    await ingestObject(s3Event('incoming/story.txt', { eTag: 'e-earlier' }), lambdaContext());

    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('POST /articles', () => {
  const post = (overrides: Parameters<typeof apiEvent>[0]) =>
    createArticle(
      apiEvent({
        method: 'POST',
        path: '/articles',
        headers: { 'content-type': 'text/plain' },
        body: SAMPLE_STORY_TEXT,
        ...overrides,
      }),
      lambdaContext('req-7'),
    );

  it('answers 401 without verified claims and writes nothing', async () => {
    const response = await post({});

    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body).error.code).toBe('unauthorized');
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('answers 403 to a reader', async () => {
    const response = await post({ claims: readerClaims });

    expect(response.statusCode).toBe(403);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('ingests a page posted by an editor and answers 201 with its id', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { version: 1 } });
    indexHoldsSampleStory();

    const response = await post({ claims: editorClaims });

    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), outcome: 'created', version: 1 });
    expect(response.headers.location).toBe(`/articles/${body.id}`);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'receipts/api/req-7.json' });
  });

  it('answers 200 unchanged when the index already holds the same content', async () => {
    const { ConditionalCheckFailedException } = await import('@aws-sdk/client-dynamodb');
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'failed',
        $metadata: {},
        Item: { version: { N: '3' }, contentHash: { S: SAMPLE_ARTICLE.contentHash } },
      }),
    );
    indexHoldsSampleStory();

    const response = await post({ claims: editorClaims });

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ outcome: 'unchanged', version: 3 });
  });

  it('answers 409 when a newer version of the story was indexed meanwhile, and changes nothing', async () => {
    // Prepare: the index holds other content from a newer input, so the conditional write fails
    const { ConditionalCheckFailedException } = await import('@aws-sdk/client-dynamodb');
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'failed',
        $metadata: {},
        Item: { version: { N: '4' }, contentHash: { S: 'f'.repeat(64) } },
      }),
    );
    indexHoldsSampleStory();

    // Act
    const response = await post({ claims: editorClaims });

    // Assess: one conditional write (refused), nothing else written to the index
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).error).toMatchObject({
      code: 'conflict',
      details: [{ path: 'body', message: 'stale' }],
    });
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 1);
    const receipt = s3.commandCalls(PutObjectCommand, { Key: 'receipts/api/req-7.json' })[0]!.args[0].input;
    expect(JSON.parse(receipt.Body as string)).toMatchObject({ status: 'ingested', outcome: 'stale', version: 4 });
  });

  it('answers 422 naming the rejection for a page that is not a story, and keeps it under rejected/', async () => {
    const response = await post({ claims: editorClaims, body: 'lorem ipsum' });

    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'article_rejected', details: [{ path: 'body' }] });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'rejected/api/req-7' });
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 200 for a feed with what became of each item: its id, or why it was rejected', async () => {
    // Prepare: two items, the second without a date
    dynamo.on(UpdateCommand).resolves({ Attributes: { version: 1 } });
    indexHoldsSampleStory();
    const feed =
      '<rss version="2.0"><channel><title>Gazette</title>' +
      '<item><title>Pier reopens</title><guid>urn:gazette:1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>' +
      '<description>The pier reopened on Monday.</description></item>' +
      '<item><title>No date</title><guid>urn:gazette:2</guid><description>Text.</description></item>' +
      '</channel></rss>';

    // Act
    const response = await post({
      claims: editorClaims,
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
      body: feed,
    });

    // Assess
    expect(response.statusCode).toBe(200);
    // The body the API contract (and so the OpenAPI document) describes.
    expect(ingestedFeedSchema.safeParse(JSON.parse(response.body)).success).toBe(true);
    expect(JSON.parse(response.body)).toEqual({
      format: 'rss',
      items: [
        { id: expect.stringMatching(/^[0-9a-f]{16}$/), version: 1, outcome: 'created' },
        { rejected: { code: 'missing-published-at', message: expect.stringMatching(/pubDate/) } },
      ],
      submittedBy: expect.any(String),
    });
    expect(response.headers?.location).toBeUndefined();
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'receipts/api/req-7/items/1.json',
        'receipts/api/req-7/items/2.json',
        'rejected/api/req-7/items/2',
        'receipts/api/req-7.json',
      ]),
    );
  });

  it('ingests an IPTC ninjs item posted as JSON', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { version: 1 } });
    indexHoldsSampleStory();
    const item = {
      uri: 'urn:newsml:wire.example:1',
      version: '4',
      versioncreated: '2026-03-04T09:40:00-05:00',
      headlines: [{ role: 'main', value: 'Pier reopens' }],
      bodies: [{ contenttype: 'text/html', value: '<p>The pier reopened on Monday.</p>' }],
    };

    const response = await post({
      claims: editorClaims,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(item),
    });

    expect(response.statusCode).toBe(201);
    // Ordered by the version the item states, not only by when it was received.
    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.ExpressionAttributeValues?.[':revision']).toMatch(
      /^~v0{19}4~2026-03-04T14:40:00\.000Z~\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f]{64}$/,
    );
  });

  it('answers 415 for a content type it does not ingest', async () => {
    const response = await post({ claims: editorClaims, headers: { 'content-type': 'application/pdf' } });

    expect(response.statusCode).toBe(415);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('answers 413 for a body over 2 MB', async () => {
    const response = await post({ claims: editorClaims, body: 'x'.repeat(2 * 1024 * 1024 + 1) });

    expect(response.statusCode).toBe(413);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

harness.itSendsOnlyDeclaredTableOperations();
