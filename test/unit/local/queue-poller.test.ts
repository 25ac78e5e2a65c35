import type { SQSEvent } from 'aws-lambda';
import { QueuePoller } from '../../../infra/local/queue-poller';
import { LocalQueue, type QueueMessage } from '../../../infra/local/sqs-queue';
import type { PollerLogger } from '../../../infra/local/stream-poller';

/** Long enough for redeliveries with their backoff on a busy 2-core machine; idle returns as soon as the queue is. */
const IDLE_DEADLINE_MS = 15_000;

const silent: PollerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const ARN = 'arn:aws:sqs:us-east-1:000000000000:feature.fifo';

let pollers: QueuePoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  pollers = [];
});

function fifoQueue(maxReceiveCount = 3, deadLetters: QueueMessage[] = []): LocalQueue {
  return new LocalQueue({
    name: 'feature.fifo',
    visibilityTimeoutSeconds: 30,
    redrive: { maxReceiveCount, deadLetter: (message) => void deadLetters.push(message) },
  });
}

function start(queue: LocalQueue, invoke: (event: SQSEvent) => Promise<unknown>, batchSize = 10, windowSeconds = 0) {
  const poller = new QueuePoller({
    queue,
    queueArn: ARN,
    batchSize,
    ...(windowSeconds ? { maxBatchingWindowSeconds: windowSeconds } : {}),
    invoke,
    retryDelayMs: 5,
    logger: silent,
  });
  pollers.push(poller);
  poller.start();
  return poller;
}

const send = (queue: LocalQueue, ...messages: Array<[group: string, body: string]>) =>
  queue.send(messages.map(([groupId, body]) => ({ body, groupId, deduplicationId: `${groupId}-${body}` })));

describe('QueuePoller (Lambda SQS event source mapping, locally)', () => {
  it("hands the function Lambda's SQS records and deletes the messages of a successful batch", async () => {
    const queue = fifoQueue();
    const events: SQSEvent[] = [];
    send(queue, ['A', 'a1'], ['B', 'b1']);

    const poller = start(queue, async (event) => void events.push(event));
    await poller.idle(IDLE_DEADLINE_MS);

    expect(events).toHaveLength(1);
    expect(events[0]!.Records).toEqual([
      expect.objectContaining({
        body: 'a1',
        eventSource: 'aws:sqs',
        eventSourceARN: ARN,
        awsRegion: 'us-east-1',
        attributes: expect.objectContaining({ MessageGroupId: 'A', ApproximateReceiveCount: '1' }),
      }),
      expect.objectContaining({ body: 'b1' }),
    ]);
    expect(queue.isEmpty()).toBe(true);
  });

  it('keeps exactly the reported messages, delivers them again in group order, and lets other groups on', async () => {
    const queue = fifoQueue();
    const seen: string[][] = [];
    let failOnce = true;
    send(queue, ['A', 'a1'], ['A', 'a2'], ['B', 'b1']);

    const poller = start(queue, async (event) => {
      seen.push(event.Records.map((r) => r.body));
      if (!failOnce) return { batchItemFailures: [] };
      failOnce = false;
      // a1 failed: it and the rest of its group are reported, as a FIFO consumer must.
      return { batchItemFailures: event.Records.slice(0, 2).map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await poller.idle(IDLE_DEADLINE_MS);

    expect(seen).toEqual([
      ['a1', 'a2', 'b1'],
      ['a1', 'a2'],
    ]);
  });

  it('keeps the whole batch when the function throws or names a message not in the batch', async () => {
    const queue = fifoQueue(5);
    const outcomes: Array<() => unknown> = [
      () => {
        throw new Error('boom');
      },
      () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }),
      () => ({ batchItemFailures: [] }),
    ];
    const receiveCounts: string[] = [];
    send(queue, ['A', 'a1']);

    const poller = start(queue, async (event) => {
      receiveCounts.push(event.Records[0]!.attributes.ApproximateReceiveCount);
      return outcomes.shift()!();
    });
    await poller.idle(IDLE_DEADLINE_MS);

    expect(receiveCounts).toEqual(['1', '2', '3']);
  });

  it('ends a message that always fails in the dead letters after maxReceiveCount receives, with its last error', async () => {
    const deadLetters: QueueMessage[] = [];
    const queue = fifoQueue(3, deadLetters);
    const handled: string[] = [];
    send(queue, ['A', 'poison'], ['A', 'a2'], ['B', 'b1']);

    // A FIFO consumer reports the failed message and the rest of its group.
    const poller = start(queue, async (event) => {
      const failedFrom = event.Records.findIndex((r) => r.body === 'poison');
      const failed = event.Records.filter(
        (r, i) => failedFrom !== -1 && i >= failedFrom && r.attributes.MessageGroupId === 'A',
      );
      handled.push(...event.Records.filter((r) => !failed.includes(r)).map((r) => r.body));
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await poller.idle(IDLE_DEADLINE_MS);
    send(queue, ['A', 'a3']);
    await poller.idle(IDLE_DEADLINE_MS);

    // a2 was received with the poison every time, so it follows it, in order: the group's
    // changes stay together for a redrive. B went through at once, and A's next message after.
    expect(deadLetters.map((m) => [m.body, m.receiveCount])).toEqual([
      ['poison', 3],
      ['a2', 3],
    ]);
    expect(poller.lastErrorOf(deadLetters[0]!.messageId)).toBe('Reported in batchItemFailures');
    expect(handled).toEqual(['b1', 'a3']);
  });

  it('gathers a standard queue batch over its window unless it fills up first', async () => {
    const queue = new LocalQueue({ name: 'tallies', visibilityTimeoutSeconds: 30 });
    const sizes: number[] = [];
    const poller = start(queue, async (event) => void sizes.push(event.Records.length), 3, 0.2);

    queue.send([{ body: '1' }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    queue.send([{ body: '2' }]);
    await poller.idle(IDLE_DEADLINE_MS);
    queue.send([{ body: '3' }, { body: '4' }, { body: '5' }, { body: '6' }]);
    await poller.idle(IDLE_DEADLINE_MS);

    expect(sizes).toEqual([2, 3, 1]);
  });

  it('refuses a batching window on a FIFO queue, as Lambda does', () => {
    expect(
      () =>
        new QueuePoller({
          queue: fifoQueue(),
          queueArn: ARN,
          batchSize: 10,
          maxBatchingWindowSeconds: 1,
          invoke: async () => undefined,
        }),
    ).toThrow(/FIFO/);
  });
});
