/**
 * The local SQS through its JSON endpoint, driven by the real SDK client the stream router uses:
 * FIFO order per message group with one batch of a group in flight, visibility timeouts and
 * receive counts, redrive to the dead-letter target, deduplication, and the limits SQS enforces.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { LocalQueues, startSqsEndpoint, type SqsEndpoint } from '../../infra/local/sqs-endpoint';
import { DEDUPLICATION_WINDOW_MS, LocalQueue, SqsError, type QueueMessage } from '../../infra/local/sqs-queue';

let queues: LocalQueues;
let endpoint: SqsEndpoint;
let client: SQSClient;
let deadLettered: QueueMessage[];
let fifoUrl: string;
let standardUrl: string;

beforeEach(async () => {
  deadLettered = [];
  queues = new LocalQueues();
  queues.add(
    new LocalQueue({
      name: 'features.fifo',
      visibilityTimeoutSeconds: 30,
      deduplicationScope: 'messageGroup',
      redrive: { maxReceiveCount: 2, deadLetter: (message) => void deadLettered.push(message) },
    }),
  );
  queues.add(new LocalQueue({ name: 'tallies', visibilityTimeoutSeconds: 30 }));
  endpoint = await startSqsEndpoint(queues);
  client = new SQSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: endpoint.endpoint,
  });
  fifoUrl = endpoint.queueUrl('features.fifo');
  standardUrl = endpoint.queueUrl('tallies');
});

afterEach(async () => {
  client.destroy();
  await endpoint.stop();
});

const entry = (id: string, group: string, body = `body ${id}`) => ({
  Id: id,
  MessageBody: body,
  MessageGroupId: group,
  MessageDeduplicationId: `dedup-${id}`,
});

async function receive(max = 10, queueUrl = fifoUrl): Promise<Message[]> {
  const { Messages } = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, MessageSystemAttributeNames: ['All'] }),
  );
  return Messages ?? [];
}

const bodies = (messages: Message[]) => messages.map((m) => m.Body);

async function makeVisibleAgain(messages: Message[]): Promise<void> {
  for (const message of messages) {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: fifoUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
  }
}

describe('local SQS, FIFO queue', () => {
  it('answers GetQueueUrl and GetQueueAttributes for the queues it holds', async () => {
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'features.fifo' }))).resolves.toMatchObject({
      QueueUrl: fifoUrl,
    });
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'nope.fifo' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: fifoUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ maxReceiveCount: 2 }),
    });
  });

  it('delivers each group in send order and holds a group while one of its messages is in flight', async () => {
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: fifoUrl,
        Entries: [entry('a1', 'A'), entry('b1', 'B'), entry('a2', 'A')],
      }),
    );
    await client.send(new SendMessageCommand({ QueueUrl: fifoUrl, ...entry('b2', 'B') }));

    const first = await receive(1);
    expect(bodies(first)).toEqual(['body a1']);
    // A is in flight: only B's messages, in order.
    const second = await receive();
    expect(bodies(second)).toEqual(['body b1', 'body b2']);
    expect(await receive()).toEqual([]);

    await client.send(new DeleteMessageCommand({ QueueUrl: fifoUrl, ReceiptHandle: first[0]!.ReceiptHandle }));
    expect(bodies(await receive())).toEqual(['body a2']);
    expect(second[0]!.Attributes).toMatchObject({
      MessageGroupId: 'B',
      MessageDeduplicationId: 'dedup-b1',
      ApproximateReceiveCount: '1',
      SequenceNumber: expect.stringMatching(/^\d{20}$/),
    });
  });

  it('delivers a message again once it is visible, counting receives, and its group waits for it', async () => {
    await client.send(
      new SendMessageBatchCommand({ QueueUrl: fifoUrl, Entries: [entry('a1', 'A'), entry('a2', 'A')] }),
    );
    const [a1] = await receive(1);
    await makeVisibleAgain([a1!]);

    const again = await receive();
    expect(bodies(again)).toEqual(['body a1', 'body a2']);
    expect(again[0]!.Attributes?.ApproximateReceiveCount).toBe('2');
    // The first receive's handle is stale now.
    await expect(
      client.send(new DeleteMessageCommand({ QueueUrl: fifoUrl, ReceiptHandle: a1!.ReceiptHandle })),
    ).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: fifoUrl,
        Entries: again.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    expect(deleted.Successful).toHaveLength(2);
    expect(queues.get('features.fifo')!.isEmpty()).toBe(true);
  });

  it('moves a message received maxReceiveCount times to the dead-letter target, and its group goes on', async () => {
    await client.send(
      new SendMessageBatchCommand({ QueueUrl: fifoUrl, Entries: [entry('a1', 'A'), entry('a2', 'A')] }),
    );
    for (let receiveCount = 1; receiveCount <= 2; receiveCount++) {
      const messages = await receive(1);
      expect(bodies(messages)).toEqual(['body a1']);
      await makeVisibleAgain(messages);
    }

    // The third receive finds a1 received twice: it is moved, and a2 is delivered.
    expect(bodies(await receive())).toEqual(['body a2']);
    await queues.get('features.fifo')!.deadLettersSettled();
    expect(deadLettered).toEqual([expect.objectContaining({ body: 'body a1', groupId: 'A', receiveCount: 2 })]);
  });

  it('accepts a repeated deduplication id without enqueuing it again, answering with the first message id', async () => {
    const first = await client.send(new SendMessageCommand({ QueueUrl: fifoUrl, ...entry('a1', 'A') }));
    const again = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: fifoUrl,
        Entries: [{ ...entry('a1', 'A'), Id: 'retry' }, entry('a2', 'A')],
      }),
    );

    expect(again.Successful?.[0]).toMatchObject({ Id: 'retry', MessageId: first.MessageId });
    expect(bodies(await receive())).toEqual(['body a1', 'body a2']);
  });

  it('refuses, per entry, messages without a group or a deduplication id and bodies with characters SQS refuses', async () => {
    const { Successful, Failed } = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: fifoUrl,
        Entries: [
          { Id: 'nogroup', MessageBody: 'x', MessageDeduplicationId: 'd1' },
          { Id: 'nodedup', MessageBody: 'x', MessageGroupId: 'A' },
          entry('bad', 'A', 'not a character: \uffff'),
          entry('good', 'A', 'tabs\tand newlines\n and \u{1F600} are fine'),
        ],
      }),
    );

    expect(Failed?.map((f) => [f.Id, f.Code])).toEqual([
      ['nogroup', 'MissingParameter'],
      ['nodedup', 'InvalidParameterValue'],
      ['bad', 'InvalidMessageContents'],
    ]);
    expect(Successful?.map((s) => s.Id)).toEqual(['good']);
  });

  it('refuses a batch of more than ten entries or over 1 MiB as a whole', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => entry(`m${i}`, 'A'));
    await expect(
      client.send(new SendMessageBatchCommand({ QueueUrl: fifoUrl, Entries: eleven })),
    ).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    const half = 'x'.repeat(600 * 1024);
    await expect(
      client.send(
        new SendMessageBatchCommand({ QueueUrl: fifoUrl, Entries: [entry('a', 'A', half), entry('b', 'B', half)] }),
      ),
    ).rejects.toMatchObject({ name: 'BatchRequestTooLong' });
    expect(queues.get('features.fifo')!.isEmpty()).toBe(true);
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const started = Date.now();
    const polling = client.send(new ReceiveMessageCommand({ QueueUrl: fifoUrl, WaitTimeSeconds: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.send(new SendMessageCommand({ QueueUrl: fifoUrl, ...entry('a1', 'A') }));

    const { Messages } = await polling;
    expect(bodies(Messages ?? [])).toEqual(['body a1']);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('local SQS, standard queue', () => {
  it('takes messages without groups or deduplication ids and refuses a deduplication id', async () => {
    const { Successful, Failed } = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: standardUrl,
        Entries: [
          { Id: 'one', MessageBody: '1' },
          { Id: 'two', MessageBody: '2', MessageDeduplicationId: 'd' },
        ],
      }),
    );
    expect(Successful?.map((s) => s.Id)).toEqual(['one']);
    expect(Failed?.map((f) => [f.Id, f.Code])).toEqual([['two', 'InvalidParameterValue']]);
    expect(bodies(await receive(10, standardUrl))).toEqual(['1']);
  });
});

describe('LocalQueue deduplication window', () => {
  it('forgets a deduplication id after five minutes', () => {
    let now = 1_000_000;
    const queue = new LocalQueue({ name: 'clocked.fifo', visibilityTimeoutSeconds: 30, now: () => now });
    const [first] = queue.send([{ body: 'x', groupId: 'A', deduplicationId: 'd' }]);
    now += DEDUPLICATION_WINDOW_MS - 1;
    const [within] = queue.send([{ body: 'x', groupId: 'A', deduplicationId: 'd' }]);
    now += 1;
    const [after] = queue.send([{ body: 'x', groupId: 'A', deduplicationId: 'd' }]);

    expect(within).toEqual(first);
    expect(after).not.toBeInstanceOf(SqsError);
    expect((after as { messageId: string }).messageId).not.toBe((first as { messageId: string }).messageId);
    expect(queue.counts()).toEqual({ visible: 2, inFlight: 0 });
  });

  it('makes a received message visible again after its visibility timeout', () => {
    let now = 0;
    const queue = new LocalQueue({ name: 'clocked.fifo', visibilityTimeoutSeconds: 30, now: () => now });
    queue.send([{ body: 'x', groupId: 'A', deduplicationId: 'd' }]);
    expect(queue.receive(10)).toHaveLength(1);
    now = 29_999;
    expect(queue.receive(10)).toEqual([]);
    expect(queue.nextVisibleAt()).toBe(30_000);
    now = 30_000;
    expect(queue.receive(10)).toEqual([expect.objectContaining({ receiveCount: 2 })]);
  });
});
