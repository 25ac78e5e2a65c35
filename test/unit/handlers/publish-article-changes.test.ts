import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaContext, setHandlerEnv } from '../../support/api-events';
import { deliverLikeLambda } from '../../support/lambda-stream-retry';
import { indexedArticle, metaItemOf } from '../../support/article-items';
import { queueEvent } from '../../support/queue-events';

setHandlerEnv();
const eventBridge = mockClient(EventBridgeClient);
let handler: (
  event: DynamoDBStreamEvent | SQSEvent,
  context: unknown,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  handler = (await import('../../../functions/publish-article-changes/handler')).handler as unknown as typeof handler;
});
beforeEach(() => eventBridge.reset());

/** A story's index item, whole, as the index writes it. */
const metaItem = (id: string, hash: string, version: number) =>
  metaItemOf(
    indexedArticle({
      id,
      slug: `story-${id}`,
      contentHash: hash,
      headline: `Story ${id}`,
      byline: { authors: [], organization: null },
      publishedAt: '2021-06-03T16:15:00.000Z',
      body: ['A paragraph.'],
      version,
      createdAt: '2021-06-03T16:16:00.000Z',
      updatedAt: '2021-06-03T16:16:00.000Z',
    }),
  );

function record(sequence: string, id: string, newHash: string, oldHash?: string, version = 1): DynamoDBRecord {
  const image = (hash: string, v: number) => marshall(metaItem(id, hash, v)) as never;
  return {
    eventID: sequence,
    eventName: oldHash ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: marshall({ pk: `ARTICLE#${id}`, sk: 'META' }) as never,
      NewImage: image(newHash, version),
      ...(oldHash ? { OldImage: image(oldHash, version - 1) } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

describe('publish-article-changes (table stream)', () => {
  it('publishes ArticleIngested for a new article and for changed content, with the version', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });

    const result = await handler(
      { Records: [record('1', 'aaaaaaaaaaaaaaaa', 'h1'), record('2', 'bbbbbbbbbbbbbbbb', 'h3', 'h2', 2)] },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    const details = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => JSON.parse(call.args[0].input.Entries![0]!.Detail!));
    expect(details).toEqual([
      expect.objectContaining({
        articleId: 'aaaaaaaaaaaaaaaa',
        change: 'created',
        version: 1,
        articleKey: 'articles/aaaaaaaaaaaaaaaa.json',
      }),
      expect.objectContaining({ articleId: 'bbbbbbbbbbbbbbbb', change: 'updated', version: 2 }),
    ]);
  });

  it('publishes nothing when the content hash did not change', async () => {
    await handler({ Records: [record('1', 'aaaaaaaaaaaaaaaa', 'same', 'same', 2)] }, lambdaContext());

    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('stops at the first failed record and reports it and every record after it', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'y' }] });

    const result = await handler(
      {
        Records: [
          record('1', 'aaaaaaaaaaaaaaaa', 'h1'),
          record('2', 'bbbbbbbbbbbbbbbb', 'h2'),
          record('3', 'cccccccccccccccc', 'h3'),
        ],
      },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('fails the invocation when its first record fails, so Lambda can halve the batch around a poison record', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'y' }] });

    const result = handler(
      { Records: [record('1', 'aaaaaaaaaaaaaaaa', 'h1'), record('2', 'bbbbbbbbbbbbbbbb', 'h2')] },
      lambdaContext(),
    );

    await expect(result).rejects.toThrow(/try again|InternalFailure/);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it("publishes every story's event once and in stream order across Lambda's redelivery after a failure", async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'y' }] });
    const records = [
      record('1', 'aaaaaaaaaaaaaaaa', 'h1'),
      record('2', 'bbbbbbbbbbbbbbbb', 'h2'),
      record('3', 'cccccccccccccccc', 'h3'),
      record('4', 'aaaaaaaaaaaaaaaa', 'h4', 'h1', 2),
    ];

    const deliveries = await deliverLikeLambda(handler, records);

    expect(deliveries).toHaveLength(2);
    const published = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => JSON.parse(call.args[0].input.Entries![0]!.Detail!))
      .map((detail: { articleId: string; version: number }) => `${detail.articleId[0]}${detail.version}`);
    // The failed attempt at b1 aside, each event leaves once, in the order of the stream.
    expect(published).toEqual(['a1', 'b1', 'b1', 'c1', 'a2']);
  });

  it("through its FIFO queue: holds back a story whose event failed, with its later changes, and publishes the others'", async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'y' }] });
    const event = queueEvent([
      record('1', 'aaaaaaaaaaaaaaaa', 'h1'),
      record('2', 'bbbbbbbbbbbbbbbb', 'h2'),
      record('3', 'cccccccccccccccc', 'h3'),
      record('4', 'bbbbbbbbbbbbbbbb', 'h4', 'h2', 2),
    ]);

    const result = await handler(event, lambdaContext());

    expect(result.batchItemFailures).toEqual([1, 3].map((i) => ({ itemIdentifier: event.Records[i]!.messageId })));
    const published = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => JSON.parse(call.args[0].input.Entries![0]!.Detail!) as { articleId: string; version: number })
      .map((detail) => `${detail.articleId[0]}${detail.version}`);
    // b1 failed; c1 went out; b2 waits behind b1 for the queue's redelivery.
    expect(published).toEqual(['a1', 'b1', 'c1']);
  });

  it("publishes each event under the correlation id its article item carries, else the batch's", async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    const traced = record('1', 'aaaaaaaaaaaaaaaa', 'h1');
    traced.dynamodb!.NewImage!.correlationId = { S: 'req-trace-0001' };
    const forged = record('3', 'cccccccccccccccc', 'h3');
    forged.dynamodb!.NewImage!.correlationId = { S: 'bad id\nforged' };

    await handler({ Records: [traced, record('2', 'bbbbbbbbbbbbbbbb', 'h2'), forged] }, lambdaContext());

    const resources = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => call.args[0].input.Entries![0]!.Resources);
    // The batch's own id is its first record's eventID ('1'); an invalid stored id is ignored.
    expect(resources).toEqual([
      ['newsroom:correlation-id/req-trace-0001'],
      ['newsroom:correlation-id/1'],
      ['newsroom:correlation-id/1'],
    ]);
  });

  it('fails the record with a StoredItemError, publishing nothing, when its new image is not a whole index item', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    const { headline: _headline, ...headless } = metaItem('aaaaaaaaaaaaaaaa', 'h1', 1);
    const malformed = record('1', 'aaaaaaaaaaaaaaaa', 'h1');
    malformed.dynamodb!.NewImage = marshall({ ...headless, version: 'one' }) as never;

    const result = handler({ Records: [malformed] }, lambdaContext());

    await expect(result).rejects.toMatchObject({
      name: 'StoredItemError',
      issues: [expect.objectContaining({ path: 'headline' }), expect.objectContaining({ path: 'version' })],
    });
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });
});
