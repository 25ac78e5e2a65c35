import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgePublisher, EventPublishError } from '../../../shared/adapters/aws/eventbridge-publisher';
import type { DomainEvent } from '../../../shared/ports';

const eventBridge = mockClient(EventBridgeClient);
const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'news-bus', 'newsroom');

const rejected = (n: number): DomainEvent => ({
  detailType: 'ArticleRejected',
  detail: {
    schemaVersion: 1,
    sourceKey: `incoming/${n}`,
    rejectedKey: `rejected/${n}`,
    reasonKey: `rejected/${n}.reason.json`,
    reason: { code: 'x', message: 'y' },
  },
});

beforeEach(() => eventBridge.reset());

describe('EventBridgePublisher', () => {
  it('sends at most 10 entries per PutEvents call, on the configured bus and source', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    await publisher.publish(Array.from({ length: 23 }, (_, n) => rejected(n)));

    const sizes = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries!.length);
    expect(sizes).toEqual([10, 10, 3]);
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: expect.arrayContaining([
        expect.objectContaining({ EventBusName: 'news-bus', Source: 'newsroom', DetailType: 'ArticleRejected' }),
      ]),
    });
  });

  it('throws when EventBridge fails some entries of a successful call, so the caller retries them', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'ok' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
    });

    const attempt = publisher.publish([rejected(1), rejected(2)]);

    await expect(attempt).rejects.toBeInstanceOf(EventPublishError);
    await expect(attempt).rejects.toMatchObject({
      failures: [{ detailType: 'ArticleRejected', errorCode: 'ThrottlingException' }],
    });
  });
});
