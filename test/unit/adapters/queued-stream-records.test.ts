import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { StreamRecordsHandler } from '../../../shared/adapters/aws/queued-stream-records';
import { setHandlerEnv } from '../../support/api-events';

// Loaded after the environment is set, as Lambda loads a handler (the logger reads its level then).
setHandlerEnv();
let adapter: typeof import('../../../shared/adapters/aws/queued-stream-records');
let queueEvent: typeof import('../../support/queue-events').queueEvent;
let queueMessage: typeof import('../../support/queue-events').queueMessage;
beforeAll(async () => {
  adapter = await import('../../../shared/adapters/aws/queued-stream-records');
  ({ queueEvent, queueMessage } = await import('../../support/queue-events'));
});

let sequence = 0;
beforeEach(() => {
  sequence = 0;
});

/** A change of item `<item>` (its key is `ITEM#<item>` / `V`); `label` names it in the assertions. */
function change(item: string, label: string): DynamoDBRecord {
  const n = String(++sequence).padStart(3, '0');
  return {
    eventID: `event-${n}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: n,
      Keys: { pk: { S: `ITEM#${item}` }, sk: { S: 'V' } },
      NewImage: { pk: { S: `ITEM#${item}` }, sk: { S: 'V' }, label: { S: label } },
    },
  };
}

const labelOf = (record: DynamoDBRecord) => record.dynamodb!.NewImage!.label!.S!;

/**
 * A stream handler like the features': records one by one in order, stopping at the first that
 * fails and naming it and every later one (throwing when it is the first, as `redeliverFrom` does).
 */
function inOrderHandler(fails: (label: string) => boolean, calls: string[][]): StreamRecordsHandler {
  return async (records) => {
    calls.push(records.map(labelOf));
    const failed = records.findIndex((record) => fails(labelOf(record)));
    if (failed === -1) return { batchItemFailures: [] };
    if (failed === 0) throw new Error(`${labelOf(records[0]!)} failed`);
    return {
      batchItemFailures: records.slice(failed).map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
    } satisfies DynamoDBBatchResponse;
  };
}

const failedLabels = (response: { batchItemFailures: { itemIdentifier: string }[] }, records: DynamoDBRecord[]) =>
  response.batchItemFailures.map(
    ({ itemIdentifier }) =>
      labelOf(records.find((r) => queueMessage(r).messageId === itemIdentifier)!) ?? itemIdentifier,
  );

describe('stream records delivered by a queue', () => {
  it('hands the records to the stream handler once, in order, and deletes them all when it succeeds', async () => {
    const calls: string[][] = [];
    const records = [change('a', 'a1'), change('b', 'b1'), change('a', 'a2')];

    const response = await adapter.handleQueuedStreamRecords(
      queueEvent(records),
      inOrderHandler(() => false, calls),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([['a1', 'b1', 'a2']]);
  });

  it("names a failed record's message and its item's later ones, and hands the other items' later records again", async () => {
    const calls: string[][] = [];
    const records = [change('a', 'a1'), change('b', 'b1'), change('c', 'c1'), change('b', 'b2'), change('a', 'a2')];

    const response = await adapter.handleQueuedStreamRecords(
      queueEvent(records),
      inOrderHandler((label) => label === 'b1', calls),
    );

    expect(failedLabels(response, records)).toEqual(['b1', 'b2']);
    // a1 was done before b1; c1 and a2 were not reached, so they are handed over again.
    expect(calls).toEqual([
      ['a1', 'b1', 'c1', 'b2', 'a2'],
      ['c1', 'a2'],
    ]);
  });

  it('gives each item its own try when the handler throws, so a poison item fails alone', async () => {
    const calls: string[][] = [];
    const records = [change('a', 'a1'), change('p', 'poison'), change('b', 'b1'), change('p', 'p2')];
    // Fails the whole batch whenever the poison is in it, as a batch-wide step would.
    const handler: StreamRecordsHandler = async (batch) => {
      calls.push(batch.map(labelOf));
      if (batch.some((record) => labelOf(record) === 'poison')) throw new Error('poison');
      return { batchItemFailures: [] };
    };

    const response = await adapter.handleQueuedStreamRecords(queueEvent(records), handler);

    expect(failedLabels(response, records)).toEqual(['poison', 'p2']);
    expect(calls).toEqual([['a1', 'poison', 'b1', 'p2'], ['a1'], ['poison', 'p2'], ['poison'], ['b1']]);
  });

  it("halves one item's records, so those before its poison one are done", async () => {
    const calls: string[][] = [];
    const records = [change('a', 'a1'), change('a', 'a2'), change('a', 'a3'), change('a', 'a4')];
    const handler: StreamRecordsHandler = async (batch) => {
      calls.push(batch.map(labelOf));
      if (batch.some((record) => labelOf(record) === 'a3')) throw new Error('a3 is poison');
      return { batchItemFailures: [] };
    };

    const response = await adapter.handleQueuedStreamRecords(queueEvent(records), handler);

    expect(failedLabels(response, records)).toEqual(['a3', 'a4']);
    expect(calls).toEqual([['a1', 'a2', 'a3', 'a4'], ['a1', 'a2'], ['a3', 'a4'], ['a3']]);
  });

  it('fails a message whose body is not a stream record, and its group after it, without handing it over', async () => {
    const calls: string[][] = [];
    const records = [change('a', 'a1'), change('b', 'b1'), change('a', 'a2')];
    const event = queueEvent(records);
    event.Records[0]!.body = '{"not":"a stream record"}';

    const response = await adapter.handleQueuedStreamRecords(
      event,
      inOrderHandler(() => false, calls),
    );

    expect(failedLabels(response, records)).toEqual(['a1', 'a2']);
    expect(calls).toEqual([['b1']]);
  });

  it('keeps every message when the handler names a record it was not given', async () => {
    const records = [change('a', 'a1'), change('b', 'b1')];

    const response = await adapter.handleQueuedStreamRecords(queueEvent(records), async () => ({
      batchItemFailures: [{ itemIdentifier: 'elsewhere' }],
    }));

    expect(failedLabels(response, records)).toEqual(['a1', 'b1']);
  });

  it('isolates each message of a standard queue (no groups): only the failed one is named', async () => {
    const calls: string[][] = [];
    const records = [change('a', 'a1'), change('a', 'a2'), change('a', 'a3')];

    const response = await adapter.handleQueuedStreamRecords(
      queueEvent(records, { standard: true }),
      inOrderHandler((label) => label === 'a2', calls),
    );

    expect(failedLabels(response, records)).toEqual(['a2']);
    expect(calls).toEqual([['a1', 'a2', 'a3'], ['a3']]);
  });

  it('passes stream records read from the stream straight through, answering as a stream consumer', async () => {
    const calls: string[][] = [];
    const records = [change('a', 'a1'), change('b', 'b1')];

    const response = await adapter.handleQueuedStreamRecords(
      { Records: records },
      inOrderHandler((label) => label === 'b1', calls),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '002' }] });
    expect(calls).toEqual([['a1', 'b1']]);
  });
});
